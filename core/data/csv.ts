/**
 * Reads a data set from CSV text: a header row naming the columns, then one sample per row.
 * The target columns become y (in the order given); every other column is a numeric feature.
 * A target column that holds only numbers stays numeric (regression, binary 0/1); otherwise its
 * labels become class indices in order of first appearance (one target column only).
 *
 * @example parseCsv('a,b,label\n1,2,cat\n3,4,dog\n', { targets: ['label'] })
 *   // x [[1,2],[3,4]], y [[0],[1]], classNames ['cat', 'dog']
 */
import type { Dataset } from './dataset';
import { csvError, quoteCell } from './csv-error';
import { isBlank, splitRecords } from './csv-records';
import type { CsvRecord } from './csv-records';

export interface CsvOptions {
  /** Names of the target columns (at least one). */
  targets: string[];
  /** The file name used in error messages (`file:line:column: …`) and as the data set's name. */
  file?: string;
  /** The data set's name; defaults to the file's base name without extension, else 'csv'. */
  name?: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or NaN when it is not a plain decimal number. */
export function parseCell(cell: string): number {
  const s = cell.trim();
  return NUMBER.test(s) ? Number(s) : NaN;
}

export function parseCsv(text: string, opts: CsvOptions): Dataset {
  const { file } = opts;
  const records = splitRecords(text, file).filter((r) => !isBlank(r));
  if (records.length === 0) {
    throw csvError('the file is empty (a header row naming the columns is required)', {
      file,
      line: 1,
      column: 1,
    });
  }
  const [headerRecord, ...rows] = records;
  const header = readHeader(headerRecord, file);
  const headerLine = headerRecord.line;
  const at = (column: number) => ({ file, line: headerLine, column });

  const targets = opts.targets;
  if (targets.length === 0) throw csvError('no target column given', at(1));
  const targetCols: number[] = [];
  for (const t of targets) {
    const col = header.indexOf(t);
    if (col < 0) {
      throw csvError(
        `target column '${t}' is not in the header; the columns are: ${header.join(', ')}`,
        at(1),
      );
    }
    if (targetCols.includes(col))
      throw csvError(`target column '${t}' is listed twice`, at(col + 1));
    targetCols.push(col);
  }
  const featureCols = header.map((_, c) => c).filter((c) => !targetCols.includes(c));
  if (featureCols.length === 0) {
    throw csvError('every column is a target: no feature columns are left', at(1));
  }
  if (rows.length === 0) {
    throw csvError('no data rows after the header', { file, line: headerLine + 1, column: 1 });
  }

  const n = rows.length;
  const inDim = featureCols.length;
  const yDim = targetCols.length;
  const x = new Float32Array(n * inDim);
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    checkWidth(row, header, file);
    for (let j = 0; j < inDim; j++)
      x[r * inDim + j] = numericCell(row, featureCols[j], header, file);
    for (const c of targetCols) {
      if (row.fields[c].trim() === '') throw cellError('empty cell', row, c, header, file);
    }
  }

  const y = new Float32Array(n * yDim);
  let classNames: string[] | undefined;
  for (let t = 0; t < yDim; t++) {
    const c = targetCols[t];
    const firstText = rows.findIndex((row) => Number.isNaN(parseCell(row.fields[c])));
    if (firstText < 0) {
      for (let r = 0; r < n; r++) y[r * yDim + t] = numericCell(rows[r], c, header, file);
      continue;
    }
    if (yDim > 1) {
      throw cellError(
        `${quoteCell(rows[firstText].fields[c])} is not a number; class labels need a single ` +
          `target column (this file has ${yDim})`,
        rows[firstText],
        c,
        header,
        file,
      );
    }
    classNames = [];
    const index = new Map<string, number>();
    for (let r = 0; r < n; r++) {
      const label = rows[r].fields[c].trim();
      let k = index.get(label);
      if (k === undefined) {
        k = classNames.length;
        index.set(label, k);
        classNames.push(label);
      }
      y[r] = k;
    }
  }

  const targetLines = new Int32Array(n * yDim);
  for (let r = 0; r < n; r++)
    for (let t = 0; t < yDim; t++) targetLines[r * yDim + t] = rows[r].fieldLines[targetCols[t]];
  const ds: Dataset = {
    name: opts.name ?? (file !== undefined ? baseName(file) : 'csv'),
    n,
    inDim,
    yDim,
    x,
    y,
    featureNames: featureCols.map((c) => header[c]),
    targetNames: targetCols.map((c) => header[c]),
    origin: { kind: 'csv', file, targetLines, targetColumns: targetCols.map((c) => c + 1) },
  };
  if (classNames) {
    ds.classNames = classNames;
    ds.numClasses = classNames.length;
  }
  return ds;
}

/**
 * Reads the named feature columns of a CSV file (any order; other columns, targets say, are
 * ignored) with the same rules and messages as parseCsv: the rows a trained network predicts.
 *
 * @example parseFeatureCsv('b,a,id\n2,1,x\n', { features: ['a', 'b'] }) // x [[1, 2]]
 */
export function parseFeatureCsv(
  text: string,
  opts: { features: string[]; file?: string },
): { n: number; x: Float32Array; lines: Int32Array } {
  const { file, features } = opts;
  const records = splitRecords(text, file).filter((r) => !isBlank(r));
  if (records.length === 0) {
    throw csvError('the file is empty (a header row naming the columns is required)', {
      file,
      line: 1,
      column: 1,
    });
  }
  const [headerRecord, ...rows] = records;
  const header = readHeader(headerRecord, file);
  const cols = features.map((f) => {
    const c = header.indexOf(f);
    if (c < 0) {
      throw csvError(
        `the feature column '${f}' is not in the header (the network takes ${features.join(', ')}); the columns are: ${header.join(', ')}`,
        { file, line: headerRecord.line, column: 1 },
      );
    }
    return c;
  });
  const n = rows.length;
  const d = cols.length;
  const x = new Float32Array(n * d);
  const lines = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    checkWidth(rows[r], header, file);
    lines[r] = rows[r].line;
    for (let j = 0; j < d; j++) x[r * d + j] = numericCell(rows[r], cols[j], header, file);
  }
  return { n, x, lines };
}

function readHeader(record: CsvRecord, file: string | undefined): string[] {
  const header = record.fields.map((f) => f.trim());
  const place = (c: number) => ({ file, line: record.fieldLines[c], column: c + 1 });
  if (header.every((h) => !Number.isNaN(parseCell(h)))) {
    throw csvError(
      'missing header: the first row holds numbers, but it must name the columns ' +
        '(for example: x1,x2,label)',
      place(0),
    );
  }
  header.forEach((h, c) => {
    if (h === '') throw csvError(`column ${c + 1} of the header has no name`, place(c));
    const first = header.indexOf(h);
    if (first < c) {
      throw csvError(`duplicate column name '${h}' (also column ${first + 1})`, place(c));
    }
  });
  return header;
}

function checkWidth(row: CsvRecord, header: string[], file: string | undefined): void {
  const got = row.fields.length;
  const expected = header.length;
  if (got === expected) return;
  const column = Math.min(got, expected) + 1;
  throw csvError(`expected ${expected} fields, got ${got}`, {
    file,
    line: row.fieldLines[Math.min(got, expected)] ?? row.fieldLines[got - 1],
    column,
    name: column <= expected ? header[column - 1] : undefined,
  });
}

function numericCell(
  row: CsvRecord,
  c: number,
  header: string[],
  file: string | undefined,
): number {
  const cell = row.fields[c];
  if (cell.trim() === '') throw cellError('empty cell', row, c, header, file);
  const v = parseCell(cell);
  if (Number.isNaN(v)) throw cellError(`${quoteCell(cell)} is not a number`, row, c, header, file);
  if (!Number.isFinite(Math.fround(v))) {
    throw cellError(`${quoteCell(cell)} is too large for a 32-bit float`, row, c, header, file);
  }
  return v;
}

function cellError(
  message: string,
  row: CsvRecord,
  c: number,
  header: string[],
  file: string | undefined,
) {
  return csvError(message, { file, line: row.fieldLines[c], column: c + 1, name: header[c] });
}

function baseName(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
