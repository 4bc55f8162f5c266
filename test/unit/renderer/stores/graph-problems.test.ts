// The live check's problems as the builder shows them: marks with a severity per node, and why
// Train is disabled.
import { describe, expect, it } from 'vitest';
import {
  draftBlocker,
  marksByNode,
  onNode,
  trainBlocker,
  worstSeverity,
} from '../../../../renderer/stores/graph-problems';

describe('graph problems', () => {
  it('drops the node prefix a project file list needs, only for that node', () => {
    expect(onNode("node 'relu1' (ReLU): takes 1 input, got 0", 'relu1')).toBe(
      'takes 1 input, got 0',
    );
    expect(onNode("node 'a': x", 'a')).toBe('x');
    expect(onNode("node 'relu1' (ReLU): takes 1 input, got 0", 'relu')).toBe(
      "node 'relu1' (ReLU): takes 1 input, got 0",
    );
    expect(onNode('fc2 makes 8 values per sample', 'fc2')).toBe('fc2 makes 8 values per sample');
  });

  it('marks errors before warnings, each message once', () => {
    const marks = marksByNode(
      { a: [{ path: 'nodes[1]', node: 'a', message: "node 'a' (Dense): bad" }] },
      {
        a: [{ path: 'nodes[1]', node: 'a', message: 'left out' }],
        b: [
          { path: 'nodes[2]', node: 'b', message: 'left out' },
          { path: 'nodes[2]', node: 'b', message: 'left out' },
        ],
      },
    );
    expect(marks).toEqual({
      a: [
        { severity: 'error', message: 'bad' },
        { severity: 'warning', message: 'left out' },
      ],
      b: [{ severity: 'warning', message: 'left out' }],
    });
    expect(worstSeverity(marks.a)).toBe('error');
    expect(worstSeverity(marks.b)).toBe('warning');
    expect(worstSeverity([])).toBeNull();
  });

  it('Train is blocked by an empty canvas or any problem, with the first as the reason', () => {
    expect(trainBlocker(0, [])).toEqual({
      message: 'The canvas is empty: add layers first.',
      count: 1,
    });
    expect(trainBlocker(5, [])).toBeNull();
    expect(
      trainBlocker(5, [
        { path: 'nodes[3].params.units', node: 'fc2', message: "set fc2's units to 1" },
        { path: 'loss', message: 'other' },
      ]),
    ).toEqual({ message: "Fix first: set fc2's units to 1 (and 1 more)", node: 'fc2', count: 2 });
    // A problem no node has says which part of the Training tab shows it.
    const where = (path: string) => trainBlocker(5, [{ path, message: 'm' }])?.where;
    expect(['data.csv', 'loss', 'training.epochs', 'output'].map(where)).toEqual([
      'data',
      'loss',
      'settings',
      'training',
    ]);
  });

  it('Train waits for a field holding text it does not take, the first one named', () => {
    expect(draftBlocker([])).toBeNull();
    expect(
      draftBlocker([
        { label: 'Learning rate', message: "'1e400' is not a number", where: 'settings' },
        { label: 'Noise', message: 'at least 0', where: 'data' },
      ]),
    ).toEqual({
      message: "Fix first: Learning rate: '1e400' is not a number (and 1 more)",
      where: 'settings',
      count: 2,
    });
    expect(
      draftBlocker([{ label: "fc2's units", message: 'enter a whole number', node: 'fc2' }]),
    ).toEqual({ message: "Fix first: fc2's units: enter a whole number", node: 'fc2', count: 1 });
  });
});
