import { describe, expect, it } from 'vitest';
import { absMax, diverging, NEG, POS, probability } from '../../../../renderer/lab/draw/colors';
import { contour } from '../../../../renderer/lab/draw/contour';
import { bytes, bytesDiff, num } from '../../../../renderer/lab/draw/format';
import {
  edgeAt,
  fitColumnLabels,
  layoutNetwork,
  networkColumns,
  segmentDistance,
  unitAt,
} from '../../../../renderer/lab/draw/network';
import { niceTicks } from '../../../../renderer/lab/draw/ticks';
import type { DenseWeights, NodeInfo } from '../../../../renderer/lab/inspect-types';

const RULE = { title: '', formula: '', more: [], note: null, shows: '' };
const info = (id: string, type: string, inputs: string[], width: number): NodeInfo => ({
  id,
  type,
  k: 0,
  inputs,
  outShape: [width],
  source: 'builtin',
  entry: type === 'Input',
  hasBackward: false,
  frozen: false,
  detach: false,
  memory: 'store',
  trainable: true,
  sameUnits: ['Sigmoid', 'Tanh', 'ReLU', 'LeakyReLU', 'Dropout', 'Softmax'].includes(type),
  linear: type === 'Dense',
  symbol: id,
  deltaSymbol: `δ ${id}`,
  cancels: null,
  rules: { forward: RULE, backward: RULE },
});
const dense = (node: string, input: string, out: number, inF: number): DenseWeights => ({
  node,
  input,
  out,
  in: inF,
  weight: new Float32Array(out * inF).fill(0.5),
});

describe('networkColumns', () => {
  it('gives an MLP one column per layer of units, activations sharing their Dense column', () => {
    const nodes = [
      info('x', 'Input', [], 2),
      info('fc1', 'Dense', ['x'], 8),
      info('h1', 'Tanh', ['fc1'], 8),
      info('fc2', 'Dense', ['h1'], 1),
      info('y', 'Sigmoid', ['fc2'], 1),
    ];
    const { columns, links } = networkColumns(
      [dense('fc1', 'x', 8, 2), dense('fc2', 'h1', 1, 8)],
      nodes,
    );
    expect(columns).toEqual([
      { id: 'x', members: ['x'], n: 2 },
      { id: 'fc1', members: ['fc1', 'h1'], n: 8 },
      { id: 'fc2', members: ['fc2', 'y'], n: 1 },
    ]);
    expect(links.map((l) => [l.node, l.from, l.to])).toEqual([
      ['fc1', 0, 1],
      ['fc2', 1, 2],
    ]);
  });

  it('gives a merge its own column', () => {
    const nodes = [
      info('x', 'Input', [], 3),
      info('a', 'Dense', ['x'], 3),
      info('sum', 'Add', ['a', 'x'], 3),
      info('out', 'Dense', ['sum'], 1),
    ];
    const { columns, links } = networkColumns(
      [dense('a', 'x', 3, 3), dense('out', 'sum', 1, 3)],
      nodes,
    );
    expect(columns.map((c) => c.id)).toEqual(['x', 'a', 'sum', 'out']);
    expect(links.map((l) => [l.from, l.to])).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});

describe('layoutNetwork and hit testing', () => {
  const cols = [{ n: 2 }, { n: 40 }, { n: 1 }];
  const L = layoutNetwork(cols, 300, 200, { maxUnits: 32 });

  it('places columns across and units down, leaving out what does not fit', () => {
    expect(L.x[0]).toBeLessThan(L.x[1]);
    expect(L.x[1]).toBeLessThan(L.x[2]);
    expect(L.units.map((u) => u.length)).toEqual([2, 32, 1]);
    expect(L.hidden).toEqual([0, 8, 0]);
    for (const col of L.units)
      for (const u of col) {
        expect(u.y).toBeGreaterThanOrEqual(0);
        expect(u.y).toBeLessThanOrEqual(200);
      }
  });

  it('finds the unit and the connection under the pointer', () => {
    const u = L.units[1][5];
    expect(unitAt(L, { x: u.x + 1, y: u.y })).toEqual([1, 5]);
    expect(unitAt(L, { x: 5, y: 5 })).toBeNull();
    const a = L.units[0][1],
      b = L.units[1][3];
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const links = [{ from: 0, to: 1 }];
    expect(edgeAt(L, links, mid)).toEqual([0, 3, 1]);
    // Only the picked neuron's lines count.
    expect(edgeAt(L, links, mid, 4, { link: 0, j: 7 })).not.toEqual([0, 3, 1]);
    expect(segmentDistance({ x: 0, y: 1 }, { x: -1, y: 0 }, { x: 1, y: 0 })).toBe(1);
  });
});

describe('contour', () => {
  it('traces where a grid crosses the level', () => {
    // Left half 0, right half 1: a vertical line between columns 1 and 2.
    const values = [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1];
    const segs = contour(values, 4, 3, 0.5);
    expect(segs).toHaveLength(2);
    for (const [x1, , x2] of segs) {
      expect(x1).toBeCloseTo(1.5);
      expect(x2).toBeCloseTo(1.5);
    }
    expect(contour([0, 0, 0, 0], 2, 2, 0.5)).toEqual([]);
  });
});

describe('colours and numbers', () => {
  it('colours by sign: negative red, positive blue, 0 near white', () => {
    expect(diverging(1, 1)).toEqual(POS);
    expect(diverging(-2, 1)).toEqual(NEG);
    const zero = diverging(0, 1);
    expect(Math.min(...zero)).toBeGreaterThan(240);
    expect(probability(1)).toEqual(POS);
    expect(probability(0)).toEqual(NEG);
    expect(absMax([1, -3, 2])).toBe(3);
    expect(absMax([0, 0])).toBeGreaterThan(0);
  });

  it('prints numbers, bytes and differences', () => {
    expect(num(0.5)).toBe('0.5');
    expect(num(-0.123456)).toBe('−0.1235');
    expect(num(1.5e-7)).toBe('1.5e-7');
    expect(num(0)).toBe('0');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(2048)).toBe('2.00 KB');
    expect(bytesDiff(-128)).toBe('−128 B');
    expect(bytesDiff(0)).toBe('no change');
    expect(niceTicks(-5.3, 5.3, 5)).toEqual([-4, -2, 0, 2, 4]);
  });
});

describe('column titles of the network drawing', () => {
  // 6 px a character, as a stand-in for the canvas's measureText.
  const measure = (s: string) => s.length * 6;
  const right = (l: { x: number; lines: string[] }) => l.x + Math.max(...l.lines.map(measure));

  it('never overlap: long titles go on two lines and are pushed apart', () => {
    const members = [['x'], ['dense1', 'sigmoid1'], ['dense2', 'sigmoid2'], ['dense3', 'sigmoid3']];
    const x = [28, 117, 206, 296];
    const labels = fitColumnLabels(members, x, 5, 324, measure);
    expect(labels.map((l) => l.lines)).toEqual([
      ['x'],
      ['dense1', 'sigmoid1'],
      ['dense2', 'sigmoid2'],
      ['dense3', 'sigmoid3'],
    ]);
    for (let i = 1; i < labels.length; i++)
      expect(labels[i].x).toBeGreaterThanOrEqual(right(labels[i - 1]) + 6);
    expect(right(labels[3])).toBeLessThanOrEqual(324);
    expect(labels[0].x).toBe(23);
  });

  it('keeps short titles on one line, centred on their column', () => {
    const labels = fitColumnLabels(
      [['x'], ['fc1', 'h1'], ['fc2', 'y']],
      [28, 160, 292],
      5,
      320,
      measure,
    );
    expect(labels.map((l) => l.lines)).toEqual([['x'], ['fc1·h1'], ['fc2·y']]);
    expect(labels[1].x).toBe(160 - measure('fc1·h1') / 2);
  });

  it('cuts a title with “…” when nothing else makes room', () => {
    const labels = fitColumnLabels(
      [['a'], ['a_very_long_dense_name'], ['b']],
      [10, 40, 70],
      4,
      80,
      measure,
    );
    expect(labels[1].lines[0]).toMatch(/…$/);
    expect(right(labels[1])).toBeLessThanOrEqual(labels[2].x - 6);
  });
});
