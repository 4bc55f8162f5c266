import { describe, expect, it } from 'vitest';
import { inspectBatch } from '../../../core/inspect';
import { Tensor } from '../../../core/tensor/tensor';
import type { NodeSpec } from '../../helpers/project';
import { wacky } from '../gradcheck/wacky';
import { buildModel, randomTensor, twoLayer, weight } from './build';

const batch = 5;
const x = randomTensor([batch, 3], 11);
const y = randomTensor([batch, 2], 12);

/** δ⁽ᵏ⁻¹⁾ᵢ = Σⱼ Wⱼᵢ δ⁽ᵏ⁾ⱼ for every row of the batch. */
function blame(delta: Tensor, w: ReturnType<typeof weight>): number[] {
  const out: number[] = [];
  for (let b = 0; b < delta.shape[0]; b++)
    for (let i = 0; i < w.in; i++) {
      let s = 0;
      for (let j = 0; j < w.out; j++) s += w.w(j, i) * delta.data[b * w.out + j];
      out.push(s);
    }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

describe('inspectBatch', () => {
  it('gives the output node of an MSE loss the local error 2(ŷ − y)/N', () => {
    const model = buildModel(twoLayer());
    const r = inspectBatch(model, x, y, 'MSE');
    const yHat = r.nodes.fc2.output;
    const n = yHat.size;
    const want = Array.from(yHat.data, (v, i) => (2 * (v - y.data[i])) / n);
    expectClose(r.nodes.fc2.delta!.data, want, 7);
    let loss = 0;
    for (let i = 0; i < n; i++) loss += (yHat.data[i] - y.data[i]) ** 2 / n;
    expect(r.loss).toBeCloseTo(loss, 6);
  });

  it('passes blame back through a dense layer in proportion to its weights', () => {
    const model = buildModel(twoLayer());
    const r = inspectBatch(model, x, y, 'MSE');
    const dOut = r.nodes.fc2.delta!;
    expect(r.nodes.h.delta!.shape).toEqual([batch, 4]);
    expectClose(r.nodes.h.delta!.data, blame(dOut, weight(model, 'fc2.weight')));
    // Through tanh: δ(fc1) = δ(h) ⊙ (1 − h²), then to the data through W1.
    const h = r.nodes.h.output.data;
    const dFc1 = Array.from(r.nodes.h.delta!.data, (d, i) => d * (1 - h[i] * h[i]));
    expectClose(r.nodes.fc1.delta!.data, dFc1);
    expectClose(r.nodes.x.delta!.data, blame(r.nodes.fc1.delta!, weight(model, 'fc1.weight')));
  });

  it('gives δ at the data that matches finite differences of the loss', () => {
    const model = buildModel(twoLayer());
    // A float64 batch runs the whole network in double, so differences are exact enough.
    const x64 = Tensor.from(x.data, x.shape, 'float64');
    const r = inspectBatch(model, x64, y, 'MSE');
    const eps = 1e-6;
    for (let i = 0; i < x64.size; i++) {
      const v = x64.data[i];
      x64.data[i] = v + eps;
      const plus = inspectBatch(model, x64, y, 'MSE').loss;
      x64.data[i] = v - eps;
      const minus = inspectBatch(model, x64, y, 'MSE').loss;
      x64.data[i] = v;
      expect(r.nodes.x.delta!.data[i]).toBeCloseTo((plus - minus) / (2 * eps), 8);
    }
  });

  it('returns weight gradients and leaves the weights as they were', () => {
    const model = buildModel(twoLayer());
    const sentinel = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    model.weights.get('fc2.weight')!.grad = sentinel;
    const before = model.exportWeights();
    const r = inspectBatch(model, x, y, 'MSE');
    expect(Object.keys(r.weightGrads)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    // ∂L/∂W₂[j][i] = Σ_b δ(fc2)[b, j] · h[b, i]
    const d = r.nodes.fc2.delta!.data,
      h = r.nodes.h.output.data;
    const want: number[] = [];
    for (let j = 0; j < 2; j++)
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let b = 0; b < batch; b++) s += d[b * 2 + j] * h[b * 4 + i];
        want.push(s);
      }
    expectClose(r.weightGrads['fc2.weight'].data, want);
    expect(model.weights.get('fc2.weight')!.grad).toBe(sentinel);
    for (const [k, w] of model.weights) if (k !== 'fc2.weight') expect(w.grad).toBeNull();
    expect(model.exportWeights()).toEqual(before);
  });

  it('lets δ flow through a frozen layer to trainable layers below', () => {
    const model = buildModel(twoLayer({ fc2: { frozen: true } }));
    const r = inspectBatch(model, x, y, 'MSE');
    expect(r.weightGrads['fc2.weight']).toBeUndefined();
    expect(r.weightGrads['fc1.weight']).toBeDefined();
    expectClose(r.nodes.h.delta!.data, blame(r.nodes.fc2.delta!, weight(model, 'fc2.weight')));
    expect(r.nodes.x.delta).not.toBeNull();
  });

  it('gives no δ below a detach, and no gradient to the weights there', () => {
    const model = buildModel(twoLayer({ fc2: { detach: true } }));
    const r = inspectBatch(model, x, y, 'MSE');
    expect(r.nodes.fc2.delta).not.toBeNull();
    for (const id of ['h', 'fc1', 'x']) expect(r.nodes[id].delta).toBeNull();
    expect(Object.keys(r.weightGrads)).toEqual(['fc2.weight', 'fc2.bias']);
    expect(r.nodes.fc1.output.shape).toEqual([batch, 4]);
  });

  it('reports δ inside recompute segments exactly as when everything is stored', () => {
    // fc1 feeds both h and the residual Add, so its δ has a part from inside the segment.
    const nodes = (memory: 'store' | 'recompute'): NodeSpec[] => [
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'], memory },
      { id: 'h', type: 'Tanh', inputs: ['fc1'], memory },
      { id: 'fc2', type: 'Dense', params: { units: 4 }, inputs: ['h'], memory },
      { id: 'sum', type: 'Add', inputs: ['fc1', 'fc2'] },
      { id: 'out', type: 'Dense', params: { units: 2 }, inputs: ['sum'] },
    ];
    const stored = inspectBatch(buildModel(nodes('store')), x, y, 'MSE');
    const recomputed = inspectBatch(buildModel(nodes('recompute')), x, y, 'MSE');
    expect(recomputed.loss).toBe(stored.loss);
    for (const id of ['x', 'fc1', 'h', 'fc2', 'sum', 'out']) {
      expect(recomputed.nodes[id].delta, id).not.toBeNull();
      expectClose(recomputed.nodes[id].delta!.data, stored.nodes[id].delta!.data, 7);
      expect(Array.from(recomputed.nodes[id].output.data)).toEqual(
        Array.from(stored.nodes[id].output.data),
      );
    }
    for (const k of Object.keys(stored.weightGrads))
      expectClose(recomputed.weightGrads[k].data, stored.weightGrads[k].data, 7);
  });

  it('carries δ through a plugin layer with its own backward', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'w', type: 'Wacky', inputs: ['fc'] },
    ];
    const model = buildModel(nodes, 'MSE', [wacky]);
    const r = inspectBatch(model, x, y, 'MSE');
    const a = model.weights.get('w.a')!.data;
    const z = r.nodes.fc.output.data,
      dy = r.nodes.w.delta!.data;
    const want = Array.from(z, (v, i) => {
      const s = 1 / (1 + Math.exp(-a[i % 2] * v));
      return dy[i] * (s + v * s * (1 - s) * a[i % 2]);
    });
    expectClose(r.nodes.fc.delta!.data, want);
    expect(r.weightGrads['w.a'].shape).toEqual([2]);
  });

  it('names an unknown loss', () => {
    const model = buildModel(twoLayer());
    expect(() => inspectBatch(model, x, y, 'L1' as never)).toThrow(/unknown loss 'L1'/);
  });
});
