import { describe, expect, it } from 'vitest';
import { nodeJacobian } from '../../../core/inspect';
import type { Model } from '../../../core/model/model';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import type { NodeSpec } from '../../helpers/project';
import { wacky } from '../gradcheck/wacky';
import { buildModel, weight } from './build';

// Exact in float32, so the model (float32) and the float64 differences see the same point.
const sample = [0.375, -0.625, 1.25];

/** ∂(node output)/∂(model input) by central differences, running the whole model in float64. */
function numericJacobian(model: Model, nodeId: string, at: number[], eps = 1e-6): number[][] {
  const run = (v: number[]) =>
    Array.from(
      model
        .forward(Tensor.from(v, [1, v.length], 'float64'), { training: false, rng: new Rng(0) })
        .outputs.get(nodeId)!.data,
    );
  const cols = at.map((_, j) => {
    const plus = at.slice(),
      minus = at.slice();
    plus[j] += eps;
    minus[j] -= eps;
    const a = run(plus),
      b = run(minus);
    return a.map((v, i) => (v - b[i]) / (2 * eps));
  });
  return cols[0].map((_, i) => cols.map((c) => c[i]));
}

function rowsOf(j: { rows: number; cols: number; data: Float64Array }): number[][] {
  return Array.from({ length: j.rows }, (_, i) =>
    Array.from(j.data.subarray(i * j.cols, (i + 1) * j.cols)),
  );
}

function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, c) => row.reduce((s, v, k) => s + v * b[k][c], 0)));
}

function expectMatrixClose(a: number[][], b: number[][], digits: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i].length);
    row.forEach((v, j) => expect(v, `[${i}][${j}]`).toBeCloseTo(b[i][j], digits));
  });
}

describe('nodeJacobian', () => {
  const nodes: NodeSpec[] = [
    { id: 'x', type: 'Input', params: { shape: [3] } },
    { id: 'fc', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
    { id: 's', type: 'Sigmoid', inputs: ['fc'] },
  ];

  it('of Sigmoid∘Dense is diag(σ′)·W', () => {
    const model = buildModel(nodes, 'BCE');
    const W = weight(model, 'fc.weight');
    const Wm = Array.from({ length: 4 }, (_, j) => Array.from({ length: 3 }, (_, i) => W.w(j, i)));

    const jDense = nodeJacobian(model, 'fc', sample);
    expect(jDense).toMatchObject({ rows: 4, cols: 3, outShape: [4], inShape: [3] });
    expectMatrixClose(rowsOf(jDense), Wm, 12); // a dense layer's Jacobian is its weight

    const jSig = nodeJacobian(model, 's', sample);
    const z = model
      .forward(Tensor.from(sample, [1, 3]), { training: false, rng: new Rng(0) })
      .outputs.get('fc')!.data;
    const diag = Array.from({ length: 4 }, (_, i) =>
      Array.from({ length: 4 }, (_, j) => {
        const s = 1 / (1 + Math.exp(-z[i]));
        return i === j ? s * (1 - s) : 0;
      }),
    );
    expectMatrixClose(rowsOf(jSig), diag, 7);

    // The chain rule: J(Sigmoid∘Dense) = J(Sigmoid) · J(Dense) = diag(σ′) · W
    const chained = matmul(rowsOf(jSig), rowsOf(jDense));
    expectMatrixClose(chained, matmul(diag, Wm), 7);
    expectMatrixClose(chained, numericJacobian(model, 's', sample), 7);
  });

  it('matches finite differences for a layer that mixes its inputs (Softmax)', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [4] } },
      { id: 'sm', type: 'Softmax', inputs: ['x'] },
    ]);
    const at = [0.375, -1.125, 0.875, 0.0625];
    const j = nodeJacobian(model, 'sm', at);
    const rows = rowsOf(j);
    expect(rows.some((r, i) => r.some((v, c) => c !== i && Math.abs(v) > 1e-3))).toBe(true);
    expectMatrixClose(rows, numericJacobian(model, 'sm', at), 8);
  });

  it('matches finite differences for a plugin with its own backward', () => {
    const model = buildModel(
      [
        { id: 'x', type: 'Input', params: { shape: [3] } },
        { id: 'w', type: 'Wacky', inputs: ['x'] },
      ],
      'MSE',
      [wacky],
    );
    model.weights.get('w.a')!.data.set([0.5, -2, 1.5]); // not the 'ones' init
    expectMatrixClose(
      rowsOf(nodeJacobian(model, 'w', sample)),
      numericJacobian(model, 'w', sample),
      8,
    );
  });

  it('differentiates by the chosen input of a merge node', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'cat', type: 'Concat', inputs: ['fc', 'x'] },
    ]);
    const j0 = nodeJacobian(model, 'cat', sample);
    const j1 = nodeJacobian(model, 'cat', Float32Array.from(sample), { input: 1 });
    expect(j0).toMatchObject({ rows: 5, cols: 2, inShape: [2] });
    expect(j1).toMatchObject({ rows: 5, cols: 3, inShape: [3] });
    expect(rowsOf(j0)).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(rowsOf(j1)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('leaves the weights and their gradients alone', () => {
    const model = buildModel(nodes, 'BCE');
    const before = model.exportWeights();
    nodeJacobian(model, 's', sample);
    nodeJacobian(model, 'fc', sample);
    expect(model.exportWeights()).toEqual(before);
    for (const w of model.weights.values()) expect(w.grad).toBeNull();
  });

  it('names what is wrong with the request', () => {
    const model = buildModel(nodes, 'BCE');
    expect(() => nodeJacobian(model, 'nope', sample)).toThrow(/no node 'nope'.*nodes: x, fc, s/);
    expect(() => nodeJacobian(model, 'x', sample)).toThrow(/node 'x' \(Input\) has no input/);
    expect(() => nodeJacobian(model, 's', sample, { input: 1 })).toThrow(
      /node 's' has 1 input\(s\); input 1 does not exist/,
    );
    expect(() => nodeJacobian(model, 's', [1, 2])).toThrow(/has 3 values \(shape \[3\]\), got 2/);
  });
});
