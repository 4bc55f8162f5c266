/**
 * Turns a project's `data` field into a Dataset: `builtin:<name>`, `csv:<path>` with target
 * column names, or inline `{ x: [[…]], y: [[…]] }`. Files are read through the host, since core
 * reads no files itself.
 */
import type { Dataset } from './dataset';
import { loadBuiltin } from './builtin';
import { parseCsv } from './csv';
import type { NormalizeKind } from './normalize';
import { checkDataBudget } from '../graph/budget';
import { LabError } from '../util/errors';

/** Common to every data spec; training reads testFraction and normalize, resolving ignores them. */
interface DataSpecBase {
  testFraction?: number;
  normalize?: NormalizeKind;
}

export interface BuiltinDataSpec extends DataSpecBase {
  source: `builtin:${string}`;
  samples?: number;
  noise?: number;
  seed?: number;
}

export interface CsvDataSpec extends DataSpecBase {
  source: `csv:${string}`;
  target?: string | string[];
  targets?: string | string[];
}

export interface InlineDataSpec extends DataSpecBase {
  /** One row of features per sample. */
  x: number[][];
  /** One row of targets per sample (a plain number stands for a row of one). */
  y: (number[] | number)[];
  featureNames?: string[];
  targetNames?: string[];
}

export type DataSpec = BuiltinDataSpec | CsvDataSpec | InlineDataSpec;

export interface DataHost {
  /** The text of a file shipped in data/ (iris.csv, digits.csv). */
  readDataFile(name: string): string;
  /** The text of a user's file; relative paths are the host's to resolve (next to the project). */
  readUserFile(path: string): string;
}

export function resolveData(spec: DataSpec, host: DataHost): Dataset {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw dataError('data must be an object with a "source", or inline "x" and "y"', 'data');
  }
  if ('source' in spec && spec.source !== undefined) {
    const source: unknown = spec.source;
    if (typeof source === 'string' && source.startsWith('builtin:')) {
      const s = spec as BuiltinDataSpec;
      return loadBuiltin(
        source.slice('builtin:'.length),
        { samples: s.samples, noise: s.noise, seed: s.seed },
        (name) => host.readDataFile(name),
      );
    }
    if (typeof source === 'string' && source.startsWith('csv:')) {
      return resolveCsv(spec as CsvDataSpec, source.slice('csv:'.length), host);
    }
    throw dataError(
      `data.source must be "builtin:<name>" or "csv:<path>", got ${JSON.stringify(source)}`,
      'data.source',
    );
  }
  if ('x' in spec || 'y' in spec) return resolveInline(spec as InlineDataSpec);
  throw dataError(
    'data needs a "source" (builtin:<name> or csv:<path>) or inline "x" and "y"',
    'data',
  );
}

function resolveCsv(spec: CsvDataSpec, path: string, host: DataHost): Dataset {
  if (path === '')
    throw dataError('data.source "csv:" needs a file path after "csv:"', 'data.source');
  if (spec.target !== undefined && spec.targets !== undefined) {
    throw dataError('data has both "target" and "targets"; give one of them', 'data.target');
  }
  const given = spec.target ?? spec.targets;
  const targets = typeof given === 'string' ? [given] : given;
  if (
    !Array.isArray(targets) ||
    targets.length === 0 ||
    !targets.every((t) => typeof t === 'string' && t !== '')
  ) {
    throw dataError(
      'csv data needs "target": the name of the target column, or a list of names',
      'data.target',
    );
  }
  let text: string;
  try {
    text = host.readUserFile(path);
  } catch (e) {
    if (e instanceof LabError) throw e;
    throw new LabError(
      'DATA',
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { path: 'data.source', file: path },
    );
  }
  // The rows are refused before they are parsed when they would not fit the memory budget.
  checkDataBudget(countLines(text), countColumns(text), 'data.source');
  return parseCsv(text, { targets, file: path });
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The header's columns (commas outside quotes are counted; close enough for a size). */
function countColumns(text: string): number {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  return header.split(',').length;
}

function resolveInline(spec: InlineDataSpec): Dataset {
  const xRows = rowsOf(spec.x, 'x');
  const yRows = rowsOf(spec.y, 'y');
  if (xRows.length === 0) throw dataError('data.x has no rows', 'data.x');
  if (yRows.length !== xRows.length) {
    throw dataError(
      `data.x has ${xRows.length} rows but data.y has ${yRows.length}; they need one row per sample`,
      'data.y',
    );
  }
  const x = packRows(xRows, 'x');
  const y = packRows(yRows, 'y');
  const n = xRows.length;
  const inDim = x.length / n;
  const yDim = y.length / n;
  return {
    name: 'inline',
    n,
    inDim,
    yDim,
    x,
    y,
    featureNames: names(spec.featureNames, inDim, 'x', 'featureNames'),
    targetNames: names(spec.targetNames, yDim, 'y', 'targetNames'),
    origin: { kind: 'inline' },
  };
}

function rowsOf(value: unknown, field: 'x' | 'y'): number[][] {
  if (!Array.isArray(value)) {
    throw dataError(`data.${field} must be a list of rows, like [[0, 1], [1, 0]]`, `data.${field}`);
  }
  return value.map((row: unknown, i) => {
    if (field === 'y' && typeof row === 'number') return [row];
    if (!Array.isArray(row)) {
      throw dataError(`data.${field}[${i}] must be a list of numbers`, `data.${field}[${i}]`);
    }
    return row as number[];
  });
}

function packRows(rows: number[][], field: 'x' | 'y'): Float32Array {
  const width = rows[0].length;
  if (width === 0) throw dataError(`data.${field}[0] is empty`, `data.${field}[0]`);
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw dataError(
        `data.${field}[${i}] has ${row.length} values, but data.${field}[0] has ${width}`,
        `data.${field}[${i}]`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) {
        throw dataError(
          `data.${field}[${i}][${j}] must be a finite number, got ${JSON.stringify(v) ?? String(v)}`,
          `data.${field}[${i}]`,
        );
      }
      out[i * width + j] = v;
    });
  });
  return out;
}

function names(given: unknown, count: number, prefix: string, field: string): string[] {
  if (given === undefined) {
    return count === 1 && prefix === 'y'
      ? ['y']
      : Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  }
  if (
    !Array.isArray(given) ||
    given.length !== count ||
    !given.every((s) => typeof s === 'string')
  ) {
    throw dataError(`data.${field} must list ${count} names`, `data.${field}`);
  }
  return given.slice() as string[];
}

function dataError(message: string, path: string): LabError {
  return new LabError('DATA', message, { path });
}
