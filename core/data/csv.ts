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
import { csvError } from './csv-error';
import { checkCsvRows, csvCheckError, parseCell, readCsvTable } from './csv-check';

export { parseCell } from './csv-check';

export interface CsvOptions {
  /** Names of the target columns (at least one). */
  targets: string[];
  /** The file name used in error messages (`file:line:column: …`) and as the data set's name. */
  file?: string;
  /** The data set's name; defaults to the file's base name without extension, else 'csv'. */
  name?: string;
}

export function parseCsv(text: string, opts: CsvOptions): Dataset {
  const { file } = opts;
  const { header, headerLine, rows } = readCsvTable(text, file);
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

  const check = checkCsvRows({ header, headerLine, rows }, targetCols, file);
  if (check.total > 0) throw csvCheckError(check, file);

  const n = rows.length;
  const inDim = featureCols.length;
  const yDim = targetCols.length;
  const x = new Float32Array(n * inDim);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < inDim; j++) x[r * inDim + j] = parseCell(rows[r].fields[featureCols[j]]);

  const y = new Float32Array(n * yDim);
  let classNames: string[] | undefined;
  for (let t = 0; t < yDim; t++) {
    const c = targetCols[t];
    if (rows.every((row) => !Number.isNaN(parseCell(row.fields[c])))) {
      for (let r = 0; r < n; r++) y[r * yDim + t] = parseCell(rows[r].fields[c]);
      continue;
    }
    // Labels (the check allows them only in a single target column).
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
  const table = readCsvTable(text, file);
  const { header, rows } = table;
  const cols = features.map((f) => {
    const c = header.indexOf(f);
    if (c < 0) {
      throw csvError(
        `the feature column '${f}' is not in the header (the network takes ${features.join(', ')}); the columns are: ${header.join(', ')}`,
        { file, line: table.headerLine, column: 1 },
      );
    }
    return c;
  });
  // Only the feature columns count: the others (targets, ids) may hold anything.
  const ignore = header.map((_, c) => c).filter((c) => !cols.includes(c));
  const check = checkCsvRows(table, [], file, { ignore });
  if (check.total > 0) throw csvCheckError(check, file);
  const n = rows.length;
  const d = cols.length;
  const x = new Float32Array(n * d);
  const lines = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    lines[r] = rows[r].line;
    for (let j = 0; j < d; j++) x[r * d + j] = parseCell(rows[r].fields[cols[j]]);
  }
  return { n, x, lines };
}

function baseName(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
