import { describe, expect, it } from 'vitest';
import { networkJacobian, pathRefusal } from '../../../core/inspect';
import type { LayerDefinition } from '../../../core/layers/contract';
import type { Model } from '../../../core/model/model';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import type { NodeSpec } from '../../helpers/project';
import { wacky } from '../gradcheck/wacky';
import { buildModel, twoLayer } from './build';

// Exact in float32, so the float32 forward up to x and the float64 oracle see the same point.
const sample = [0.375, -0.625, 1.25];

/**
 * The oracle: ∂node/∂x by central differences of the whole model run in float64 (Model's own
 * forward, not the code under test).
 */
function oracle(model: Model, nodeId: string, at: number[], eps = 1e-6): Float64Array {
  const run = (v: number[]) =>
    model
      .forward(Tensor.from(v, [1, v.length], 'float64'), { training: false, rng: new Rng(0) })
      .outputs.get(nodeId)!.data;
  const cols = at.length;
  const rows = run(at).length;
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const h = eps * Math.max(1, Math.abs(at[j]));
    const plus = at.slice(),
      minus = at.slice();
    plus[j] += h;
    minus[j] -= h;
    const a = run(plus),
      b = run(minus);
    for (let i = 0; i < rows; i++) out[i * cols + j] = (a[i] - b[i]) / (2 * h);
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function matmul(a: Float64Array, b: Float64Array, rows: number, inner: number, cols: number) {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < inner; k++)
      for (let c = 0; c < cols; c++) out[r * cols + c] += a[r * inner + k] * b[k * cols + c];
  return out;
}

/** The lecture's network: x → W⁽¹⁾ → tanh → W⁽²⁾ → σ → ŷ. */
const lecture = (): NodeSpec[] => [...twoLayer(), { id: 'y', type: 'Sigmoid', inputs: ['fc2'] }];

describe('networkJacobian on a chain', () => {
  it('is J_D ⋯ J_1 = diag(σ′(h̃⁽²⁾)) W⁽²⁾ diag(tanh′(h̃⁽¹⁾)) W⁽¹⁾, computed by hand in float64', () => {
    const model = buildModel(lecture());
    const j = networkJacobian(model, 'x', 'y', sample);
    expect(j).toMatchObject({ rows: 2, cols: 3, between: ['x', 'fc1', 'h', 'fc2', 'y'] });
    expect(j.factors.map((f) => [f.node, f.input, f.kind, f.rows, f.cols])).toEqual([
      ['fc1', 'x', 'linear', 4, 3],
      ['h', 'fc1', 'diagonal', 4, 4],
      ['fc2', 'h', 'linear', 2, 4],
      ['y', 'fc2', 'diagonal', 2, 2],
    ]);
    expect(j.factors[0].weight).toBe('fc1.weight');

    // The lecture's formula, by hand, in doubles.
    const W1 = model.weights.get('fc1.weight')!.data,
      b1 = model.weights.get('fc1.bias')!.data;
    const W2 = model.weights.get('fc2.weight')!.data,
      b2 = model.weights.get('fc2.bias')!.data;
    const z1 = [0, 1, 2, 3].map(
      (r) => b1[r] + sample.reduce((s, v, c) => s + W1[r * 3 + c] * v, 0),
    );
    const h = z1.map(Math.tanh);
    const z2 = [0, 1].map((r) => b2[r] + h.reduce((s, v, c) => s + W2[r * 4 + c] * v, 0));
    const sig = z2.map((z) => 1 / (1 + Math.exp(-z)));
    const byHand = new Float64Array(6);
    for (let r = 0; r < 2; r++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += W2[r * 4 + k] * (1 - h[k] ** 2) * W1[k * 3 + c];
        byHand[r * 3 + c] = sig[r] * (1 - sig[r]) * s;
      }
    expect(maxDiff(j.product, byHand)).toBeLessThan(1e-14);
    for (let k = 0; k < 4; k++) expect(j.factors[1].data[k * 5]).toBeCloseTo(1 - h[k] ** 2, 14);

    // The one path's product is the product of the factors, last first.
    expect(j.pathCount).toBe(1);
    const [f1, f2, f3, f4] = j.factors.map((f) => f.data);
    const chain = matmul(f4, matmul(f3, matmul(f2, f1, 4, 4, 3), 2, 4, 3), 2, 2, 3);
    expect(maxDiff(j.paths[0].product, chain)).toBeLessThan(1e-15);
    expect(maxDiff(j.product, oracle(model, 'y', sample))).toBeLessThan(1e-8);
    expect(j.check.ok).toBe(true);
    expect(j.check.maxAbsError).toBeLessThan(1e-8);
  });

  it('checks every pair of nodes along the path (the network gradient check)', () => {
    const model = buildModel(lecture());
    const j = networkJacobian(model, 'x', 'y', sample);
    expect(j.pairs.map((p) => `${p.from}→${p.to}`)).toEqual([
      'x→fc1',
      'x→h',
      'x→fc2',
      'x→y',
      'fc1→h',
      'fc1→fc2',
      'fc1→y',
      'h→fc2',
      'h→y',
      'fc2→y',
    ]);
    expect(j.pairs.every((p) => p.check.ok)).toBe(true);
    expect(j.pairsLeft).toBe(0);
    // The pairs from x against the model's own forward, in float64.
    for (const p of j.pairs.filter((q) => q.from === 'x')) {
      const own = networkJacobian(model, 'x', p.to, sample).product;
      expect(maxDiff(own, oracle(model, p.to, sample))).toBeLessThan(1e-8);
    }
    const capped = networkJacobian(model, 'x', 'y', sample, { maxPairs: 3 });
    expect(capped.pairs).toHaveLength(3);
    expect(capped.pairsLeft).toBe(7);
  });

  it('holds at extreme values: saturated units, huge and tiny inputs', () => {
    for (const at of [
      [1e3, -1e3, 5e2],
      [1e-8, -1e-8, 0],
      [30, -30, 12],
    ]) {
      const model = buildModel(lecture());
      const j = networkJacobian(model, 'x', 'y', at);
      expect(j.check.ok, `at ${at.join(', ')}`).toBe(true);
      expect(maxDiff(j.product, oracle(model, 'y', at))).toBeLessThan(1e-8);
      expect(j.product.every(Number.isFinite)).toBe(true);
    }
    // Saturated: the tanh slopes are 0 or nearly, and so is ∂ŷ/∂x.
    const sat = networkJacobian(buildModel(lecture()), 'x', 'y', [1e3, -1e3, 5e2]);
    expect(Math.max(...sat.product.map(Math.abs))).toBeLessThan(1e-10);
  });

  it('starts anywhere: ∂ŷ/∂h⁽¹⁾ = diag(σ′) W⁽²⁾', () => {
    const model = buildModel(lecture());
    const j = networkJacobian(model, 'h', 'y', sample);
    expect(j.between).toEqual(['h', 'fc2', 'y']);
    const [w, d] = j.factors;
    expect(Array.from(w.data)).toEqual(Array.from(model.weights.get('fc2.weight')!.data));
    expect(maxDiff(j.product, matmul(d.data, w.data, 2, 2, 4))).toBeLessThan(1e-15);
    expect(j.check.ok).toBe(true);
  });

  it('takes a plugin’s factor from its own backward, and fails the check when that is wrong', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'w', type: 'Wacky', inputs: ['fc'] },
    ];
    const good = networkJacobian(buildModel(nodes, 'MSE', [wacky]), 'x', 'w', sample);
    expect(good.factors[1]).toMatchObject({ node: 'w', kind: 'diagonal' });
    expect(good.check.ok).toBe(true);

    // The same layer with a backward that forgets the x·σ′·a term.
    const broken: LayerDefinition = {
      ...wacky,
      backward(ctx, gy) {
        const [, s] = ctx.saved;
        const gx = ctx.zeros(s.shape);
        for (let i = 0; i < s.data.length; i++) gx.data[i] = gy.data[i] * s.data[i];
        return { x: gx, a: ctx.zeros(s.shape.slice(1)) };
      },
    };
    const bad = networkJacobian(buildModel(nodes, 'MSE', [broken]), 'x', 'w', sample);
    expect(bad.check.ok).toBe(false);
    expect(bad.check.maxAbsError).toBeGreaterThan(1e-3);
    expect(bad.pairs.find((p) => p.from === 'fc' && p.to === 'w')!.check.ok).toBe(false);
  });

  it('shows a mixing activation (Softmax) as a general matrix', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'fc', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'sm', type: 'Softmax', inputs: ['fc'] },
    ]);
    const j = networkJacobian(model, 'x', 'sm', sample);
    expect(j.factors.map((f) => f.kind)).toEqual(['linear', 'general']);
    expect(j.check.ok).toBe(true);
  });
});

describe('networkJacobian on a DAG', () => {
  // x → a (Dense) → ta (Tanh) ─┐
  // x → b (Dense) ─────────────┴→ add → out (Dense 2); and a Concat of both branches.
  const dag = (): NodeSpec[] => [
    { id: 'x', type: 'Input', params: { shape: [3] } },
    { id: 'a', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
    { id: 'ta', type: 'Tanh', inputs: ['a'] },
    { id: 'b', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
    { id: 'add', type: 'Add', inputs: ['ta', 'b'] },
    { id: 'cat', type: 'Concat', inputs: ['add', 'b'] },
    { id: 'out', type: 'Dense', params: { units: 2 }, inputs: ['cat'] },
  ];

  it('sums the products over every path, and matches finite differences', () => {
    const model = buildModel(dag());
    const j = networkJacobian(model, 'x', 'out', sample);
    expect(j.pathCount).toBe(3);
    expect(j.paths.map((p) => p.nodes.join('→'))).toEqual([
      'x→a→ta→add→cat→out',
      'x→b→add→cat→out',
      'x→b→cat→out',
    ]);
    const sum = new Float64Array(j.rows * j.cols);
    for (const p of j.paths) p.product.forEach((v, i) => (sum[i] += v));
    expect(maxDiff(j.product, sum)).toBeLessThan(1e-14);
    expect(maxDiff(j.product, oracle(model, 'out', sample))).toBeLessThan(1e-8);
    expect(j.check.ok).toBe(true);
    const kinds = Object.fromEntries(j.factors.map((f) => [`${f.input}→${f.node}`, f.kind]));
    expect(kinds).toMatchObject({ 'ta→add': 'identity', 'b→add': 'identity', 'b→cat': 'general' });
    expect(j.pairs.every((p) => p.check.ok)).toBe(true);
  });

  it('lists the first paths only, and still sums them all', () => {
    const j = networkJacobian(buildModel(dag()), 'x', 'out', sample, { maxPaths: 1 });
    expect(j.paths).toHaveLength(1);
    expect(j.pathCount).toBe(3);
    expect(j.check.ok).toBe(true);
  });

  it('keeps a branch that does not depend on the start fixed', () => {
    // ∂out/∂ta: b is an input of add from outside the paths.
    const model = buildModel(dag());
    const j = networkJacobian(model, 'ta', 'out', sample);
    expect(j.between).toEqual(['ta', 'add', 'cat', 'out']);
    expect(j.pathCount).toBe(1);
    expect(j.check.ok).toBe(true);
  });

  it('adds the slots of a node that takes the same input twice: Add(a, a) is 2·I', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'a', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'twice', type: 'Add', inputs: ['a', 'a'] },
    ]);
    const j = networkJacobian(model, 'a', 'twice', sample);
    expect(Array.from(j.factors[0].data)).toEqual([2, 0, 0, 2]);
    expect(j.factors[0].kind).toBe('diagonal');
    expect(j.pathCount).toBe(1);
    expect(j.check.ok).toBe(true);
  });
});

describe('pairs that have no Jacobian', () => {
  it('refuses the same node, a pair not on a path and a pair the wrong way round', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'a', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'b', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'add', type: 'Add', inputs: ['a', 'b'] },
    ]);
    const g = model.graph;
    expect(pathRefusal(g, 'a', 'add')).toBeNull();
    expect(pathRefusal(g, 'a', 'a')).toMatch(/'a' is both ends/);
    expect(pathRefusal(g, 'a', 'b')).toBe(
      "'a' and 'b' are not on a path: 'b' does not depend on 'a'",
    );
    expect(pathRefusal(g, 'add', 'x')).toMatch(/'x' comes before 'add'.*swap them/);
    expect(pathRefusal(g, 'x', 'nope')).toMatch(/no node 'nope'/);
    expect(() => networkJacobian(model, 'a', 'b', sample)).toThrow(/not on a path/);
  });

  it('refuses a node too wide to differentiate through, naming it', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'wide', type: 'Dense', params: { units: 40 }, inputs: ['x'] },
      { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['wide'] },
    ]);
    expect(() => networkJacobian(model, 'x', 'out', sample, { maxUnits: 32 })).toThrow(
      /'wide' gives 40 values per sample.*at most 32/,
    );
  });
});
