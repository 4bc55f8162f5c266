import { describe, expect, it } from 'vitest';
import {
  describeColumn,
  describeTarget,
  targetProblem,
} from '../../../../renderer/panels/training/csv-columns';

const columns = ['a', 'b', 'label', 'score'];
const rows = [
  ['1', '2', 'cat', '0.5'],
  ['3', '4', 'dog', '1.5'],
  ['5', '6', 'cat', '2'],
  ['7', '8', 'bird', ''],
];

describe('CSV target columns', () => {
  it('finds class labels in order of first appearance', () => {
    const kind = describeColumn(rows, 2);
    expect(kind).toEqual({ kind: 'labels', labels: ['cat', 'dog', 'bird'] });
    expect(describeTarget(kind)).toBe('3 classes: cat, dog, bird');
  });

  it('tells numbers, 0/1 and small whole numbers apart', () => {
    expect(describeColumn(rows, 3)).toEqual({ kind: 'numbers' });
    expect(describeColumn([['0'], ['1'], ['1']], 0)).toEqual({ kind: 'binary' });
    expect(describeColumn([['0'], ['2'], ['9']], 0)).toEqual({ kind: 'integers', min: 0, max: 9 });
    expect(describeColumn([[''], [' ']], 0)).toEqual({ kind: 'empty' });
  });

  it('explains targets that core would refuse', () => {
    expect(targetProblem(columns, rows, [])).toMatch(/pick the column/);
    expect(targetProblem(columns, rows, columns)).toMatch(/at least one column as a feature/);
    expect(targetProblem(columns, rows, ['label', 'score'])).toMatch(
      /'label' holds class labels: a labelled target must be the only target/,
    );
    expect(targetProblem(columns, rows, ['score'])).toMatch(
      /the feature column 'label' holds text/,
    );
    expect(targetProblem(columns, rows, ['label'])).toBeNull();
  });
});
