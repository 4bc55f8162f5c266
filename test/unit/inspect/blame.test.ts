import { describe, expect, it } from 'vitest';
import { blameShares, denseBlame, inspectBatch, passBack } from '../../../core/inspect';
import { buildModel, randomTensor, twoLayer } from './build';

const x = randomTensor([4, 3], 21);
const y = randomTensor([4, 2], 22);

describe('blameShares', () => {
  it('is Wⱼᵢ·δⱼ for every connection', () => {
    expect(Array.from(blameShares([1, 2, 3, 4], [2, 2], [0.5, -1]))).toEqual([0.5, 1, -3, -4]);
  });

  it('checks the shapes', () => {
    expect(() => blameShares([1, 2, 3], [2, 2], [1, 1])).toThrow(/\[out, in\]/);
  });
});

describe('denseBlame', () => {
  it('shares sum over j to δ⁽ᵏ⁻¹⁾ᵢ, the input node’s local error, for every sample', () => {
    const model = buildModel(twoLayer());
    const r = inspectBatch(model, x, y, 'MSE');
    for (let s = 0; s < 4; s++) {
      const b = denseBlame(model, r, 'fc2', s);
      expect(b).toMatchObject({ node: 'fc2', inputNode: 'h', out: 2, in: 4 });
      expect(b.deltaIn).not.toBeNull();
      for (let i = 0; i < 4; i++) {
        let sum = 0;
        for (let j = 0; j < 2; j++) sum += b.shares[j * 4 + i];
        expect(sum).toBeCloseTo(b.passed[i], 12);
        expect(b.passed[i]).toBeCloseTo(b.deltaIn![i], 6);
      }
      // δ⁽ᵏ⁾ is the Dense node's own δ for that sample.
      expect(b.deltaOut[1]).toBeCloseTo(r.nodes.fc2.delta!.data[s * 2 + 1], 7);
    }
  });

  it('scales each share with its connection weight', () => {
    const model = buildModel(twoLayer());
    const r = inspectBatch(model, x, y, 'MSE');
    const b = denseBlame(model, r, 'fc1', 2);
    const w = model.weights.get('fc1.weight')!.data;
    for (let j = 0; j < b.out; j++)
      for (let i = 0; i < b.in; i++)
        expect(b.shares[j * b.in + i]).toBeCloseTo(w[j * b.in + i] * b.deltaOut[j], 12);
    expect(Array.from(passBack(b.shares, b.out, b.in))).toEqual(Array.from(b.passed));
  });

  it('shows only this layer’s part when the input also feeds another node', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'sum', type: 'Add', inputs: ['fc', 'x'] },
      { id: 'out', type: 'Dense', params: { units: 2 }, inputs: ['sum'] },
    ]);
    const r = inspectBatch(model, x, y, 'MSE');
    const b = denseBlame(model, r, 'fc', 0);
    const skip = r.nodes.sum.delta!.data; // Add passes δ straight to x as well
    for (let i = 0; i < 3; i++) expect(b.deltaIn![i]).toBeCloseTo(b.passed[i] + skip[i], 6);
  });

  it('refuses a node that is not Dense', () => {
    const model = buildModel(twoLayer());
    const r = inspectBatch(model, x, y, 'MSE');
    expect(() => denseBlame(model, r, 'h', 0)).toThrow(/'h' is not a linear layer \(like Dense\)/);
    expect(() => denseBlame(model, r, 'fc2', 9)).toThrow(/sample 9 is not in the batch of 4/);
  });
});
