import { describe, expect, it } from 'vitest';
import { boundaryGrid, cellCentre, planeBounds } from '../../../core/inspect';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import type { NodeSpec } from '../../helpers/project';
import { buildModel } from './build';

const twoD = (units: number, last: NodeSpec[] = []): NodeSpec[] => [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fc1', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
  { id: 'h1', type: 'Tanh', inputs: ['fc1'] },
  { id: 'fc2', type: 'Dense', params: { units }, inputs: ['h1'] },
  ...last,
];

describe('planeBounds', () => {
  it('is the bounding box of the points widened by the padding on each side', () => {
    const b = planeBounds([0, 0, 2, 1, 1, -1], 0.1);
    expect(b.x0).toBeCloseTo(-0.2);
    expect(b.x1).toBeCloseTo(2.2);
    expect(b.y0).toBeCloseTo(-1.2);
    expect(b.y1).toBeCloseTo(1.2);
  });

  it('gives a single point and no points at all some room', () => {
    expect(planeBounds([3, 4])).toEqual({ x0: 2.5, x1: 3.5, y0: 3.5, y1: 4.5 });
    expect(planeBounds([])).toEqual({ x0: -1, x1: 1, y0: -1, y1: 1 });
  });
});

describe('boundaryGrid', () => {
  const spec = { x0: -2, x1: 2, y0: -1, y1: 3, nx: 16, ny: 8 };

  it('has one value per cell, row 0 at the top, each the network output at the cell centre', () => {
    const model = buildModel(twoD(1, [{ id: 'y', type: 'Sigmoid', inputs: ['fc2'] }]), 'BCE');
    const g = boundaryGrid(model, 'BCE', spec);
    expect(g.kind).toBe('probability');
    expect(g.values).toHaveLength(16 * 8);
    expect(g.classes).toBeNull();
    expect(cellCentre(g, 0, 0)).toEqual([-1.875, 2.75]);
    expect(cellCentre(g, 7, 15)).toEqual([1.875, -0.75]);
    for (const [r, c] of [
      [0, 0],
      [3, 9],
      [7, 15],
    ]) {
      const at = Tensor.from(cellCentre(g, r, c), [1, 2]);
      const want = model.forward(at, { training: false, rng: new Rng(0) }).output.data[0];
      expect(g.values[r * 16 + c]).toBeCloseTo(want, 6);
    }
    for (const v of g.values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(g.min).toBe(Math.min(...g.values));
    expect(g.max).toBe(Math.max(...g.values));
  });

  it('squashes logits of BCEWithLogits into probabilities', () => {
    const model = buildModel(twoD(1), 'BCEWithLogits');
    const g = boundaryGrid(model, 'BCEWithLogits', spec);
    const raw = model.forward(Tensor.from(cellCentre(g, 2, 2), [1, 2]), {
      training: false,
      rng: new Rng(0),
    }).output.data[0];
    expect(g.values[2 * 16 + 2]).toBeCloseTo(1 / (1 + Math.exp(-raw)), 6);
    expect(g.min).toBeGreaterThanOrEqual(0);
    expect(g.max).toBeLessThanOrEqual(1);
  });

  it('keeps raw values for a regression (MSE)', () => {
    const model = buildModel(twoD(1), 'MSE');
    const g = boundaryGrid(model, 'MSE', spec);
    expect(g.kind).toBe('value');
    const raw = model.forward(Tensor.from(cellCentre(g, 5, 1), [1, 2]), {
      training: false,
      rng: new Rng(0),
    }).output.data[0];
    expect(g.values[5 * 16 + 1]).toBeCloseTo(raw, 6);
  });

  it('gives the argmax class and its softmax probability for CrossEntropy', () => {
    const model = buildModel(twoD(3), 'CrossEntropy');
    const g = boundaryGrid(model, 'CrossEntropy', spec);
    expect(g.kind).toBe('class');
    expect(g.classCount).toBe(3);
    expect(g.classes).toHaveLength(16 * 8);
    const logits = Array.from(
      model.forward(Tensor.from(cellCentre(g, 4, 11), [1, 2]), {
        training: false,
        rng: new Rng(0),
      }).output.data,
    );
    const best = logits.indexOf(Math.max(...logits));
    const z = logits.reduce((s, v) => s + Math.exp(v), 0);
    expect(g.classes![4 * 16 + 11]).toBe(best);
    expect(g.values[4 * 16 + 11]).toBeCloseTo(Math.exp(logits[best]) / z, 6);
    for (const v of g.values) {
      expect(v).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
      expect(v).toBeLessThanOrEqual(1);
    }
    for (const c of g.classes!) expect([0, 1, 2]).toContain(c);
  });

  it('refuses data that is not 2-D, naming the Input node', () => {
    const model = buildModel([
      { id: 'inp', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['inp'] },
    ]);
    expect(() => boundaryGrid(model, 'MSE', spec)).toThrow(/2-D data.*'inp' takes 3 features/);
  });
});
