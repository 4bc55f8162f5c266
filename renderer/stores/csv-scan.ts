// What the app knows about a CSV file before it is used: its columns, every data row (so the
// preview counts them all), and, for a choice of target columns, every problem core's reader
// would stop at, with line and column (core/data/csv-check.ts: the same check the training
// worker and the command line run). A file is split once; its scan is kept with it.
import { toRaw } from 'vue';
import {
  type CsvCheck,
  type CsvTable,
  checkCsvRows,
  readCsvTable,
} from '../../core/data/csv-check';
import type { CsvFile } from './data';

export interface CsvScan {
  columns: string[];
  /** Every data row's fields, blank lines left out. */
  rows: string[][];
  table: CsvTable | null;
  /** Why the file cannot be read as a table at all (no header, an unbalanced quote…). */
  fatal: string | null;
}

const scans = new WeakMap<CsvFile, CsvScan>();

export function scanCsv(file: CsvFile): CsvScan {
  const raw = toRaw(file);
  let scan = scans.get(raw);
  if (!scan) {
    try {
      const table = readCsvTable(raw.text, raw.name);
      scan = {
        columns: table.header,
        rows: table.rows.map((r) => r.fields),
        table,
        fatal: null,
      };
    } catch (e) {
      const fatal = e instanceof Error ? e.message : String(e);
      scan = { columns: [], rows: [], table: null, fatal };
    }
    scans.set(raw, scan);
  }
  return scan;
}

/** Every problem of the rows when `targets` are the target columns (names not in the header are left out). */
export function csvProblems(file: CsvFile, scan: CsvScan, targets: readonly string[]): CsvCheck {
  if (!scan.table) return { problems: [], total: 0 };
  const cols = targets.map((t) => scan.columns.indexOf(t)).filter((c) => c >= 0);
  return checkCsvRows(scan.table, cols, toRaw(file).name);
}
