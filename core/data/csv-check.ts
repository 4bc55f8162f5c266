/**
 * Checks every data row of a CSV table at once, so a file with several mistakes lists them all
 * (with file line and column), not just the first: rows with too few or too many fields, empty
 * cells, text where a number belongs, numbers too large for a 32-bit float. parseCsv (csv.ts)
 * runs this check before it reads a single value, and the app runs the same check on import.
 *
 * @example
 *   const table = readCsvTable('a,b,y\n1,x,0\n2\n', 'd.csv');
 *   checkCsvRows(table, [2], 'd.csv').problems.map((p) => p.message);
 *   // ['d.csv:2:2: "x" is not a number (column \'b\')', 'd.csv:3:2: expected 3 fields, got 1 (column \'b\')']
 */
import { LabError } from '../util/errors';
import { csvError, quoteCell } from './csv-error';
import { isBlank, splitRecords } from './csv-records';
import type { CsvRecord } from './csv-records';

/** The most problems one check lists; it counts them all. */
export const CSV_PROBLEM_LIMIT = 20;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or NaN when it is not a plain decimal number. */
export function parseCell(cell: string): number {
  const s = cell.trim();
  return NUMBER.test(s) ? Number(s) : NaN;
}

export interface CsvTable {
  /** The column names, trimmed. */
  header: string[];
  headerLine: number;
  /** The data rows (blank lines left out), each with the file line of every field. */
  rows: CsvRecord[];
}

export interface CsvProblem {
  /** The whole message, place first: `data.csv:3:2: "four" is not a number (column 'x2')`. */
  message: string;
  line: number;
  column: number;
  /** The column's name, when the problem is in a column the header names. */
  name?: string;
}

export interface CsvCheck {
  /** The first `limit` problems, in file order. */
  problems: CsvProblem[];
  /** How many problems there are in all. */
  total: number;
}

/**
 * Splits CSV text into a header and data rows; throws (with file, line and column) when the
 * file is empty, a quote is unbalanced or the header is missing, unnamed or repeats a name.
 */
export function readCsvTable(text: string, file?: string): CsvTable {
  const records = splitRecords(text, file).filter((r) => !isBlank(r));
  if (records.length === 0) {
    throw csvError('the file is empty (a header row naming the columns is required)', {
      file,
      line: 1,
      column: 1,
    });
  }
  const [headerRecord, ...rows] = records;
  return { header: readHeader(headerRecord, file), headerLine: headerRecord.line, rows };
}

/**
 * Every problem in the data rows, given which columns are targets (0-based). A feature cell
 * must be a number; a target cell must not be empty, and a target column either holds only
 * numbers or (when it is the only target) class labels. Columns in `ignore` may hold anything;
 * every row must still have as many fields as the header.
 */
export function checkCsvRows(
  table: CsvTable,
  targetCols: number[],
  file?: string,
  opts: { limit?: number; ignore?: number[] } = {},
): CsvCheck {
  const { limit = CSV_PROBLEM_LIMIT, ignore = [] } = opts;
  const { header, rows } = table;
  const problems: CsvProblem[] = [];
  let total = 0;
  const report = (message: string, line: number, column: number): void => {
    total++;
    if (problems.length >= limit) return;
    const name = column <= header.length ? header[column - 1] : undefined;
    const e = csvError(message, { file, line, column, name });
    problems.push({ message: e.message, line, column, ...(name !== undefined ? { name } : {}) });
  };
  const isTarget = header.map((_, c) => targetCols.includes(c));
  // A target column with text in it holds labels; with several targets, that is one problem.
  const labelled = targetCols.filter((c) =>
    rows.some((r) => r.fields.length === header.length && Number.isNaN(parseCell(r.fields[c]))),
  );
  const labelsAllowed = targetCols.length === 1;
  const flagged = new Set<number>();

  for (const row of rows) {
    const got = row.fields.length;
    if (got !== header.length) {
      const column = Math.min(got, header.length) + 1;
      const line = row.fieldLines[Math.min(got, header.length)] ?? row.fieldLines[got - 1];
      report(`expected ${header.length} fields, got ${got}`, line, column);
      continue;
    }
    for (let c = 0; c < got; c++) {
      if (ignore.includes(c)) continue;
      const cell = row.fields[c];
      const line = row.fieldLines[c];
      if (cell.trim() === '') {
        report('empty cell', line, c + 1);
        continue;
      }
      if (isTarget[c] && labelled.includes(c)) {
        if (!labelsAllowed && !flagged.has(c) && Number.isNaN(parseCell(cell))) {
          flagged.add(c);
          report(
            `${quoteCell(cell)} is not a number; class labels need a single target column ` +
              `(this file has ${targetCols.length})`,
            line,
            c + 1,
          );
        }
        continue;
      }
      const v = parseCell(cell);
      if (Number.isNaN(v)) report(`${quoteCell(cell)} is not a number`, line, c + 1);
      else if (!Number.isFinite(Math.fround(v)))
        report(`${quoteCell(cell)} is too large for a 32-bit float`, line, c + 1);
    }
  }
  return { problems, total };
}

/** The count of problems beyond those listed, in words: "and 37 more (57 in all)". */
export function moreProblems(check: CsvCheck): string | null {
  const more = check.total - check.problems.length;
  return more > 0 ? `… and ${more} more (${check.total} problems in all)` : null;
}

/**
 * One error for a check that found problems: the first is the message (with how many follow),
 * all listed ones are its problems, then the count of those not listed.
 */
export function csvCheckError(check: CsvCheck, file?: string): LabError {
  const [first] = check.problems;
  const rest = check.total - 1;
  const message =
    first.message + (rest > 0 ? ` (and ${rest} more problem${rest === 1 ? '' : 's'})` : '');
  const more = moreProblems(check);
  const list = check.problems.map((p) => p.message);
  const place = { ...(file !== undefined ? { file } : {}), line: first.line, column: first.column };
  return new LabError('CSV', message, place, rest > 0 ? (more ? [...list, more] : list) : []);
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
