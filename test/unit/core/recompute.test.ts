import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import { compileProject } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import { LayerRegistry } from '../../../core/layers/registry';
import { LOSSES } from '../../../core/losses';
import { Model } from '../../../core/model/model';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { makeProject, mlp } from '../../helpers/project';

type Nodes = ReturnType<typeof mlp>;

function gradients(nodes: Nodes): Record<string, Float32Array> {
  const graph = compileProject(parseProject(makeProject(nodes)), new LayerRegistry());
  const model = new Model(graph, 3);
  const rng = new Rng(5);
  const x = Tensor.from(
    Array.from({ length: 16 }, () => rng.range(-1, 1)),
    [8, 2],
  );
  const y = Tensor.from([0, 1, 1, 0, 1, 0, 0, 1], [8, 1]);
  const { output } = model.forward(x, { training: true, rng: new Rng(11) });
  backward(LOSSES.BCE(output, y));
  const out: Record<string, Float32Array> = {};
  for (const [k, w] of model.weights) out[k] = Float32Array.from(w.grad?.data ?? []);
  return out;
}

describe('recompute segments', () => {
  it('give exactly the gradients of store', () => {
    const store = gradients(mlp(4, 6));
    const extra = {
      fc2: { memory: 'recompute' as const },
      h2: { memory: 'recompute' as const },
      fc3: { memory: 'recompute' as const },
    };
    expect(gradients(mlp(4, 6, extra))).toEqual(store);
  });

  it('replay the same dropout mask when they run again', () => {
    const withDropout = (recompute: boolean): Nodes => {
      const m = recompute ? ('recompute' as const) : ('store' as const);
      return [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'fc1', type: 'Dense', params: { units: 16 }, inputs: ['x'], memory: m },
        { id: 'd1', type: 'Dropout', params: { p: 0.5 }, inputs: ['fc1'], memory: m },
        { id: 'h1', type: 'Tanh', inputs: ['d1'], memory: m },
        { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['h1'] },
        { id: 'y', type: 'Sigmoid', inputs: ['out'] },
      ];
    };
    expect(gradients(withDropout(true))).toEqual(gradients(withDropout(false)));
  });

  it('a segment that starts at the data still trains its weights', () => {
    const extra = { fc1: { memory: 'recompute' as const }, h1: { memory: 'recompute' as const } };
    const g = gradients(mlp(2, 4, extra));
    expect(g).toEqual(gradients(mlp(2, 4)));
    expect(Math.max(...g['fc1.weight'].map(Math.abs))).toBeGreaterThan(0);
  });
});
