/**
 * The data set a training run works on: a feature matrix x and a target matrix y, both
 * row-major Float32Arrays with one row per sample, plus the names that explain them.
 */
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';

export interface Dataset {
  name: string;
  /** Number of samples. */
  n: number;
  /** Features per sample. */
  inDim: number;
  /** Target columns per sample. */
  yDim: number;
  /** [n, inDim] row-major. */
  x: Float32Array;
  /** [n, yDim] row-major. */
  y: Float32Array;
  featureNames: string[];
  targetNames: string[];
  /**
   * Set when the target is a class: with yDim = 1, y holds class indices 0..k-1; after
   * `oneHot`, yDim = numClasses and each row of y is one-hot.
   */
  classNames?: string[];
  numClasses?: number;
  /** Where the samples came from, so that a message can point at one (kept by no subset). */
  origin?: DataOrigin;
}

/** A CSV file's place for every target value, or inline data (a sample is `data.y[i]`). */
export type DataOrigin =
  | {
      kind: 'csv';
      file?: string;
      /** The 1-based file line of each target value, [n, yDim] row-major. */
      targetLines: Int32Array;
      /** The 1-based column of each target column. */
      targetColumns: number[];
    }
  | { kind: 'inline' };

/** The samples at `indices`, in that order (an index may repeat). */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const m = indices.length;
  const x = new Float32Array(m * ds.inDim);
  const y = new Float32Array(m * ds.yDim);
  for (let r = 0; r < m; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) {
      throw new LabError(
        'DATA',
        `sample index ${i} is out of range for '${ds.name}' (${ds.n} samples)`,
      );
    }
    x.set(ds.x.subarray(i * ds.inDim, (i + 1) * ds.inDim), r * ds.inDim);
    y.set(ds.y.subarray(i * ds.yDim, (i + 1) * ds.yDim), r * ds.yDim);
  }
  return { ...copyNames(ds), n: m, x, y };
}

/**
 * Splits `ds` into a training and a test set. The samples are shuffled with `new Rng(seed)`,
 * the first round(n * testFraction) go to the test set (at least one sample stays in training),
 * and each part keeps the original sample order. Same data, fraction and seed, same split.
 */
export function trainTestSplit(
  ds: Dataset,
  testFraction: number,
  seed: number,
): { train: Dataset; test: Dataset } {
  if (!Number.isFinite(testFraction) || testFraction < 0 || testFraction >= 1) {
    throw new LabError(
      'DATA',
      `testFraction must be at least 0 and less than 1, got ${testFraction}`,
      { path: 'data.testFraction' },
    );
  }
  const order = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  const nTest = Math.min(Math.round(ds.n * testFraction), Math.max(ds.n - 1, 0));
  const test = order.slice(0, nTest).sort();
  const train = order.slice(nTest).sort();
  return { train: subset(ds, train), test: subset(ds, test) };
}

/** Turns class-index targets (yDim = 1) into one-hot rows (yDim = numClasses). */
export function oneHot(ds: Dataset): Dataset {
  const k = ds.numClasses;
  if (k === undefined || ds.yDim !== 1) {
    throw new LabError(
      'DATA',
      `'${ds.name}' has no class-index target to one-hot encode (yDim ${ds.yDim}, ` +
        `${k === undefined ? 'no classes' : `${k} classes`})`,
    );
  }
  const y = new Float32Array(ds.n * k);
  for (let i = 0; i < ds.n; i++) {
    const c = ds.y[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw new LabError('DATA', `sample ${i} of '${ds.name}' has class ${c}, not in 0..${k - 1}`);
    }
    y[i * k + c] = 1;
  }
  const names = ds.classNames ?? Array.from({ length: k }, (_, c) => String(c));
  return { ...copyNames(ds), n: ds.n, x: ds.x.slice(), y, yDim: k, targetNames: names.slice() };
}

/** How many samples fall in each class (class-index or one-hot targets). */
export function classCounts(ds: Dataset): number[] {
  const k = ds.numClasses;
  if (k === undefined) throw new LabError('DATA', `'${ds.name}' has no classes`);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < ds.n; i++) {
    const c = ds.yDim === 1 ? ds.y[i] : argmax(ds.y, i * ds.yDim, ds.yDim);
    if (c >= 0 && c < k) counts[c]++;
  }
  return counts;
}

function argmax(a: Float32Array, start: number, len: number): number {
  let best = 0;
  for (let j = 1; j < len; j++) if (a[start + j] > a[start + best]) best = j;
  return best;
}

function copyNames(ds: Dataset): Omit<Dataset, 'n' | 'x' | 'y'> {
  const out: Omit<Dataset, 'n' | 'x' | 'y'> = {
    name: ds.name,
    inDim: ds.inDim,
    yDim: ds.yDim,
    featureNames: ds.featureNames.slice(),
    targetNames: ds.targetNames.slice(),
  };
  if (ds.classNames) out.classNames = ds.classNames.slice();
  if (ds.numClasses !== undefined) out.numClasses = ds.numClasses;
  return out;
}
