// What the column picker can tell from the first rows of a CSV file: whether a target column
// holds class labels (and which) or numbers, following core's CSV rules (core/data/csv.ts):
// a column of numbers stays numeric, anything else becomes class indices in order of first
// appearance, and only a single target column may hold labels.
import { parseCell } from '../../../core/data/csv';

export type TargetKind =
  | { kind: 'labels'; labels: string[] }
  | { kind: 'binary' }
  | { kind: 'integers'; min: number; max: number }
  | { kind: 'numbers' }
  | { kind: 'empty' };

/** How one column's values read, from the rows at hand. */
export function describeColumn(rows: string[][], col: number): TargetKind {
  const values = rows.map((r) => (r[col] ?? '').trim()).filter((v) => v !== '');
  if (values.length === 0) return { kind: 'empty' };
  const nums = values.map(parseCell);
  if (nums.some((n) => Number.isNaN(n))) {
    const labels: string[] = [];
    for (const v of values) if (!labels.includes(v)) labels.push(v);
    return { kind: 'labels', labels };
  }
  if (nums.every((n) => n === 0 || n === 1)) return { kind: 'binary' };
  if (nums.every(Number.isInteger)) {
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    if (max - min < 50) return { kind: 'integers', min, max };
  }
  return { kind: 'numbers' };
}

/** A one-line summary of a target column for the picker. */
export function describeTarget(t: TargetKind): string {
  switch (t.kind) {
    case 'labels':
      return `${t.labels.length} class${t.labels.length === 1 ? '' : 'es'}: ${t.labels.join(', ')}`;
    case 'binary':
      return 'binary 0/1 (BCE)';
    case 'integers':
      return `whole numbers ${t.min}…${t.max}`;
    case 'numbers':
      return 'numbers (regression, MSE)';
    case 'empty':
      return 'no values in the first rows';
  }
}

/** Why these target columns cannot be used, or null. */
export function targetProblem(
  columns: string[],
  rows: string[][],
  targets: string[],
): string | null {
  if (targets.length === 0) return 'pick the column (or columns) to predict';
  if (targets.length >= columns.length) return 'leave at least one column as a feature';
  const labelled = targets.filter(
    (t) => describeColumn(rows, columns.indexOf(t)).kind === 'labels',
  );
  if (labelled.length && targets.length > 1) {
    return `'${labelled[0]}' holds class labels: a labelled target must be the only target column`;
  }
  const features = columns.filter((c) => !targets.includes(c));
  const text = features.find((c) => describeColumn(rows, columns.indexOf(c)).kind === 'labels');
  if (text) return `the feature column '${text}' holds text: features must be numbers`;
  return null;
}
