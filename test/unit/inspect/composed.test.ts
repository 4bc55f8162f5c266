import { describe, expect, it } from 'vitest';
import { chainJacobian, denseActivationJacobian, nodeJacobian } from '../../../core/inspect';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { buildModel, twoLayer } from './build';

const sample = [0.375, -0.625, 1.25];

describe('denseActivationJacobian', () => {
  it('shows J = diag(σ′)·W for Tanh after Dense, equal to the measured Jacobian of the pair', () => {
    const model = buildModel(twoLayer());
    const j = denseActivationJacobian(model, 'h', sample);
    // σ′ is taken at h̃ as the network computes it (float32); the pair is measured in float64.
    expect(j).toMatchObject({ dense: 'fc1', activation: 'h', out: 4, in: 3, diagonal: true });
    const z = model
      .forward(Tensor.from(sample, [1, 3]), { training: false, rng: new Rng(0) })
      .outputs.get('fc1')!.data;
    const w = model.weights.get('fc1.weight')!.data;
    for (let r = 0; r < 4; r++) {
      const sp = 1 - Math.tanh(z[r]) ** 2;
      expect(j.sigmaPrime[r]).toBeCloseTo(sp, 6);
      for (let c = 0; c < 3; c++) {
        expect(j.weight[r * 3 + c]).toBe(w[r * 3 + c]);
        expect(j.product[r * 3 + c]).toBeCloseTo(j.sigmaPrime[r] * w[r * 3 + c], 12);
        expect(j.measured[r * 3 + c]).toBeCloseTo(j.product[r * 3 + c], 7);
      }
    }
    expect(j.maxAbsDiff).toBeLessThan(1e-7);
  });

  it('says when the activation mixes its units (Softmax), and J_act·W still matches', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'sm', type: 'Softmax', inputs: ['fc'] },
    ]);
    const j = denseActivationJacobian(model, 'sm', sample);
    expect(j.diagonal).toBe(false);
    expect(j.maxAbsDiff).toBeLessThan(1e-7);
  });

  it('refuses a node that does not follow a Dense layer', () => {
    const model = buildModel(twoLayer());
    expect(() => denseActivationJacobian(model, 'fc2', sample)).toThrow(
      /'fc2' is not a node whose only input is a linear layer \(like Dense\)/,
    );
  });
});

describe('chainJacobian', () => {
  it('of a single node is that node’s Jacobian', () => {
    const model = buildModel(twoLayer());
    expect(Array.from(chainJacobian(model, ['fc2'], sample).data)).toEqual(
      Array.from(nodeJacobian(model, 'fc2', sample).data),
    );
  });

  it('of the whole chain is the product of the node Jacobians', () => {
    const model = buildModel(twoLayer());
    const all = chainJacobian(model, ['fc1', 'h', 'fc2'], sample);
    expect(all).toMatchObject({ rows: 2, cols: 3, outShape: [2], inShape: [3] });
    const a = nodeJacobian(model, 'fc2', sample); // 2×4
    const b = denseActivationJacobian(model, 'h', sample).product; // 4×3
    for (let r = 0; r < 2; r++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += a.data[r * 4 + k] * b[k * 3 + c];
        expect(all.data[r * 3 + c]).toBeCloseTo(s, 7);
      }
  });

  it('refuses nodes that are not a chain', () => {
    const model = buildModel(twoLayer());
    expect(() => chainJacobian(model, ['fc1', 'fc2'], sample)).toThrow(/not a chain/);
  });
});
