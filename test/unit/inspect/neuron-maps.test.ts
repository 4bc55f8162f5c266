import { describe, expect, it } from 'vitest';
import { cellCentre, neuronMaps } from '../../../core/inspect';
import type { NodeSpec } from '../../helpers/project';
import { buildModel } from './build';

const spec = { x0: -3, x1: 3, y0: -2, y1: 2, nx: 6, ny: 4 };
const net: NodeSpec[] = [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fc1', type: 'Dense', params: { units: 5 }, inputs: ['x'] },
  { id: 'h1', type: 'Tanh', inputs: ['fc1'] },
  { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['h1'] },
  { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
];

describe('neuronMaps', () => {
  it('maps every neuron after the Input: each value its output at the cell centre', () => {
    const model = buildModel(net, 'BCE');
    const m = neuronMaps(model, spec);
    expect(m.nodes.map((n) => [n.id, n.units, n.shown])).toEqual([
      ['fc1', 5, 5],
      ['h1', 5, 5],
      ['fc2', 1, 1],
      ['y', 1, 1],
    ]);
    // Worked out again in float64 from the weights: h̃ = W·(x₁, x₂) + b, then tanh.
    const w = model.weightsOf('fc1').weight.data;
    const b = model.weightsOf('fc1').bias.data;
    const [fc1, h1] = m.nodes;
    const cells = spec.nx * spec.ny;
    for (let j = 0; j < 5; j++) {
      for (let r = 0; r < spec.ny; r++) {
        for (let c = 0; c < spec.nx; c++) {
          const [px, py] = cellCentre(spec, r, c);
          const pre = w[j * 2] * px + w[j * 2 + 1] * py + b[j];
          const at = j * cells + r * spec.nx + c;
          expect(fc1.values[at]).toBeCloseTo(pre, 5);
          expect(h1.values[at]).toBeCloseTo(Math.tanh(pre), 5);
        }
      }
    }
    expect(h1.min).toBeGreaterThanOrEqual(-1);
    expect(h1.max).toBeLessThanOrEqual(1);
    expect(Math.min(...fc1.values)).toBe(fc1.min);
    expect(Math.max(...fc1.values)).toBe(fc1.max);
  });

  it('maps at most maxUnits neurons of a wide layer', () => {
    const wide = net.map((n) => (n.id === 'fc1' ? { ...n, params: { units: 40 } } : n));
    const m = neuronMaps(buildModel(wide, 'BCE'), spec, 16);
    expect(m.nodes[0]).toMatchObject({ id: 'fc1', units: 40, shown: 16 });
    expect(m.nodes[0].values).toHaveLength(16 * spec.nx * spec.ny);
  });

  it('needs 2-D inputs, and says so naming the Input node', () => {
    const three = net.map((n) => (n.id === 'x' ? { ...n, params: { shape: [3] } } : n));
    expect(() => neuronMaps(buildModel(three, 'BCE'), spec)).toThrow(
      "a map of each neuron over the input plane needs 2-D data, but the Input node 'x' takes 3 features",
    );
  });
});
