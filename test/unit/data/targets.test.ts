// Targets are checked when the data is loaded (prepareTraining), every sample of it, and a bad
// one is named where it is: file, line and column for CSV, data.y[i] for inline data.
import { describe, expect, it } from 'vitest';
import type { DataHost } from '../../../core/data/resolve';
import { parseProject } from '../../../core/graph/parse';
import type { ProjectInput } from '../../../core/graph/schema';
import { prepareTraining } from '../../../core/project/prepare';
import { LabError } from '../../../core/util/errors';
import { type NodeSpec, makeProject, mlp, nodeHost } from '../../helpers/project';

const classifier = (classes: number): NodeSpec[] => [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fc', type: 'Dense', params: { units: classes }, inputs: ['x'] },
];

function csvHost(files: Record<string, string>): DataHost {
  return { ...nodeHost, readUserFile: (p) => files[p] };
}

function errorOf(p: ProjectInput, host: DataHost = nodeHost): LabError {
  try {
    prepareTraining(parseProject(p), { host });
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('prepareTraining did not throw');
}

/** A CSV of 60 rows a,b,label with labels 0/1, and `bad` put in the label cell of `row`. */
function csv(row: number, bad: string): string {
  const lines = ['a,b,label'];
  for (let i = 0; i < 60; i++) lines.push(`${i},${i % 7},${i === row ? bad : i % 2}`);
  return lines.join('\n') + '\n';
}

describe('a bad target is found when the data is loaded', () => {
  it('CrossEntropy: a 0.5 in a CSV class column is named by file, line and column', () => {
    // Row 47 (0-based) of the data is line 49 of the file: the header is line 1.
    const p = makeProject(classifier(2), {
      loss: { type: 'CrossEntropy' },
      data: { source: 'csv:data.csv', target: 'label', testFraction: 0.2 },
    });
    const e = errorOf(p, csvHost({ 'data.csv': csv(47, '0.5') }));
    expect(e.message).toBe(
      "data.csv:49:3: CrossEntropy needs a class index 0..1 (a whole number) as target, got 0.5 (column 'label')",
    );
    expect(e.place).toMatchObject({ file: 'data.csv', line: 49, column: 3 });
  });

  it('CrossEntropy: a class index past the last output unit', () => {
    const p = makeProject(classifier(2), {
      loss: { type: 'CrossEntropy' },
      data: { source: 'csv:data.csv', target: 'label' },
    });
    expect(errorOf(p, csvHost({ 'data.csv': csv(3, '2') })).message).toBe(
      "data.csv:5:3: CrossEntropy needs a class index 0..1 (a whole number) as target, got 2 (column 'label')",
    );
  });

  it('a bad value in the test split is found too, before any training', () => {
    // With testFraction 0.5 about half the rows are test rows; every row is checked.
    const p = makeProject(classifier(2), {
      loss: { type: 'CrossEntropy' },
      data: { source: 'csv:data.csv', target: 'label', testFraction: 0.5 },
    });
    for (const row of [0, 1, 2, 3, 58, 59]) {
      expect(errorOf(p, csvHost({ 'data.csv': csv(row, '-1') })).place.line).toBe(row + 2);
    }
  });

  it('CrossEntropy: one-hot targets outside [0, 1], inline, by sample and column', () => {
    const p = makeProject(classifier(2), {
      loss: { type: 'CrossEntropy' },
      data: {
        x: [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
        y: [
          [1, 0],
          [0, 1],
          [0, 3],
        ],
      },
    });
    const e = errorOf(p);
    expect(e.message).toBe(
      'data.y[2][1]: CrossEntropy needs one-hot or probability targets between 0 and 1, got 3',
    );
    expect(e.place.path).toBe('data.y[2][1]');
  });

  it('BCE: a column of class labels 0..k suggests CrossEntropy', () => {
    const p = makeProject(mlp(1, 2), {
      data: {
        x: [
          [0, 0],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        y: [[0], [1], [2], [1]],
      },
    });
    expect(errorOf(p).message).toBe(
      'data.y[2]: BCE needs targets between 0 and 1, got 2: the column holds class labels 0..2, which is a job for CrossEntropy (a last Dense of 3 units, no Sigmoid)',
    );
  });

  it('BCE: a value that is no class label gets no such suggestion', () => {
    const p = makeProject(mlp(1, 2), {
      data: { source: 'csv:data.csv', target: 'label' },
    });
    expect(errorOf(p, csvHost({ 'data.csv': csv(10, '1.5') })).message).toBe(
      "data.csv:12:3: BCE needs targets between 0 and 1, got 1.5 (column 'label')",
    );
  });

  it('BCEWithLogits too', () => {
    const nodes = mlp(1, 2).slice(0, -1);
    const p = makeProject(nodes, {
      loss: { type: 'BCEWithLogits' },
      data: { source: 'csv:data.csv', target: 'label' },
    });
    expect(errorOf(p, csvHost({ 'data.csv': csv(0, '-0.5') })).message).toMatch(
      /^data\.csv:2:3: BCEWithLogits needs targets between 0 and 1, got -0\.5/,
    );
  });

  it('a missing target column is named with the file and the header line', () => {
    const p = makeProject(classifier(2), {
      loss: { type: 'CrossEntropy' },
      data: { source: 'csv:data.csv', target: 'class' },
    });
    expect(errorOf(p, csvHost({ 'data.csv': csv(0, '0') })).message).toBe(
      "data.csv:1:1: target column 'class' is not in the header; the columns are: a, b, label",
    );
  });

  it('MSE takes any number', () => {
    const p = makeProject(mlp(1, 2).slice(0, -1), {
      loss: { type: 'MSE' },
      data: { source: 'csv:data.csv', target: 'label' },
    });
    expect(() =>
      prepareTraining(parseProject(p), { host: csvHost({ 'data.csv': csv(5, '1234.5') }) }),
    ).not.toThrow();
  });
});
