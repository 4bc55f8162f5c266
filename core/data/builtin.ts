/**
 * The data sets behind `builtin:<name>`: the 2-D generators and the real data sets shipped as
 * CSV files in data/ (made by scripts/make-datasets.py). Core reads no files, so the caller
 * passes `readDataFile`, which returns the text of a file in data/.
 */
import type { Dataset } from './dataset';
import { parseCsv } from './csv';
import { GENERATORS } from './generators/index';
import type { GeneratorName } from './generators/index';
import { checkDataBudget } from '../graph/budget';
import { LabError } from '../util/errors';

export const BUILTIN_GENERATORS = Object.keys(GENERATORS) as GeneratorName[];

export const BUILTIN_FILES = { iris: 'iris.csv', digits: 'digits.csv' } as const;

export type BuiltinFileName = keyof typeof BUILTIN_FILES;

/** Every name `builtin:<name>` accepts. */
export const BUILTIN_NAMES: string[] = [...BUILTIN_GENERATORS, ...Object.keys(BUILTIN_FILES)];

/** Options for the generators; the real data sets ignore them. */
export interface BuiltinOptions {
  /** Default 200. */
  samples?: number;
  /** Default 0.1. */
  noise?: number;
  /** Default 0; callers pass the training seed. */
  seed?: number;
}

export const BUILTIN_DEFAULTS = { samples: 200, noise: 0.1, seed: 0 } as const;

const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];
const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function loadBuiltin(
  name: string,
  opts: BuiltinOptions,
  readDataFile: (fileName: string) => string,
): Dataset {
  if (Object.hasOwn(GENERATORS, name)) {
    const samples = opts.samples ?? BUILTIN_DEFAULTS.samples;
    // Two features and a target per sample, refused before they are made when too many.
    checkDataBudget(samples, 3, 'data.samples');
    return GENERATORS[name as GeneratorName]({
      samples,
      noise: opts.noise ?? BUILTIN_DEFAULTS.noise,
      seed: opts.seed ?? BUILTIN_DEFAULTS.seed,
    });
  }
  if (name === 'iris') {
    const ds = parseCsv(read('iris', readDataFile), { targets: ['species'], file: 'iris.csv' });
    expectClasses(ds, IRIS_CLASSES);
    return { ...ds, name: 'iris' };
  }
  if (name === 'digits') {
    const ds = parseCsv(read('digits', readDataFile), { targets: ['digit'], file: 'digits.csv' });
    for (let i = 0; i < ds.x.length; i++) ds.x[i] /= 16;
    for (let i = 0; i < ds.n; i++) {
      if (!Number.isInteger(ds.y[i]) || ds.y[i] < 0 || ds.y[i] > 9) {
        throw new LabError('DATA', `digits.csv: row ${i + 1} has digit ${ds.y[i]}, not 0..9`, {
          file: 'digits.csv',
          line: i + 2,
        });
      }
    }
    return { ...ds, name: 'digits', classNames: DIGIT_CLASSES.slice(), numClasses: 10 };
  }
  throw new LabError(
    'DATA',
    `unknown built-in data set '${name}'; the built-in data sets are: ${BUILTIN_NAMES.join(', ')}`,
    { path: 'data.source' },
  );
}

function read(name: BuiltinFileName, readDataFile: (fileName: string) => string): string {
  const fileName = BUILTIN_FILES[name];
  try {
    return readDataFile(fileName);
  } catch (e) {
    if (e instanceof LabError) throw e;
    throw new LabError(
      'DATA',
      `cannot read the built-in data file ${fileName}: ${e instanceof Error ? e.message : String(e)}`,
      { file: fileName },
    );
  }
}

function expectClasses(ds: Dataset, expected: string[]): void {
  const got = ds.classNames ?? [];
  if (got.join(',') !== expected.join(',')) {
    throw new LabError(
      'DATA',
      `${ds.name}: expected the classes ${expected.join(', ')}, found ${got.join(', ') || 'none'}`,
    );
  }
}
