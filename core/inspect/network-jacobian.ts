import { backward } from '../autograd/backward';
import { noGrad } from '../autograd/state';
import type { CompiledNode } from '../graph/compile';
import { compareGradients } from '../gradcheck/compare';
import type { TensorCheck } from '../gradcheck/types';
import type { Model } from '../model/model';
import { Tensor, formatShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';
import { countPaths, listPaths, nodesBetween, pathRefusal } from './graph-paths';
import { isolated } from './isolated';
import { nodeWeights, runNodeLayer } from './node-run';

/**
 * What a factor is, read off its layer and its numbers: W of a linear layer (the layer's `lab.linear`
 * capability), the identity (Add, Dropout in evaluation), a diagonal (an activation unit by unit:
 * diag(f′(h̃))), or a general matrix (Softmax, Concat's selection, a plugin's own Jacobian).
 */
export type FactorKind = 'linear' | 'identity' | 'diagonal' | 'general';

/** One layer's Jacobian on one edge: ∂node/∂input, from the layer's backward on unit vectors. */
export interface JacobianFactor {
  node: string;
  input: string;
  rows: number;
  cols: number;
  /** Row-major rows × cols. */
  data: Float64Array;
  kind: FactorKind;
  /** For a linear layer: the weight the factor is (`fc1.weight`). */
  weight?: string;
}

export interface JacobianPath {
  /** The nodes from `from` to `to`, in order. */
  nodes: string[];
  /** Indices into `factors`, first edge first (the product multiplies them last first). */
  factors: number[];
  /** J_D ⋯ J_1 along this path, rows × cols. */
  product: Float64Array;
}

/** One pair of nodes along the checked path: the product of its factors against central differences. */
export interface PairCheck {
  from: string;
  to: string;
  rows: number;
  cols: number;
  check: TensorCheck;
}

export interface NetworkJacobian {
  from: string;
  to: string;
  rows: number;
  cols: number;
  fromShape: number[];
  toShape: number[];
  /** Every node on some path from `from` to `to`, inputs first. */
  between: string[];
  /** One per edge between those nodes. */
  factors: JacobianFactor[];
  /** How many paths there are; `paths` lists the first ones. */
  pathCount: number;
  paths: JacobianPath[];
  /** ∂to/∂from: the sum over all paths of their products, rows × cols. */
  product: Float64Array;
  /** The same by central differences of the forward pass in float64. */
  numeric: Float64Array;
  check: TensorCheck;
  /** The network gradient check: every pair of nodes along `paths[checkedPath]`. */
  checkedPath: number;
  pairs: PairCheck[];
  /** Pairs along that path left unchecked (past `maxPairs`). */
  pairsLeft: number;
  /** Nodes on the paths marked detach: training passes no gradient through them. */
  detached: string[];
  eps: number;
  atol: number;
  rtol: number;
}

export interface NetworkJacobianOptions {
  /** Paths listed with their own products (default 8; the sum always covers all of them). */
  maxPaths?: number;
  /** Which listed path the pair check walks (default 0). */
  path?: number;
  /** Pairs checked along it (default 66: every pair of a 12-node path). */
  maxPairs?: number;
  /** Largest number of values a node between the two may have (default 1024). */
  maxUnits?: number;
  /** Central-difference step, scaled by max(1, |value|) (default 1e-6). */
  eps?: number;
  /** Tolerances: an entry passes when |product − numeric| <= atol + rtol·|numeric|. */
  atol?: number;
  rtol?: number;
}

/**
 * The Jacobian ∂to/∂from of a network for one sample, as the product of the per-layer
 * Jacobians on the way (summed over the paths of a DAG), with each factor, and checked against
 * central differences of the forward pass. The network runs up to `from` as in training
 * (float32, evaluation mode); from there on everything is float64: the factors come from each
 * layer's own backward applied to unit vectors (so a plugin's factor is what its backward
 * computes), and the differences nudge `from`'s values and run the layers forward again.
 * Inputs from outside the paths (a branch that does not depend on `from`) stay fixed.
 *
 * @example networkJacobian(model, 'x', 'y', [0.5, -1]).product // ∂ŷ/∂x = J_D ⋯ J_1
 */
export function networkJacobian(
  model: Model,
  from: string,
  to: string,
  sample: Float32Array | number[],
  opts: NetworkJacobianOptions = {},
): NetworkJacobian {
  const graph = model.graph;
  const refusal = pathRefusal(graph, from, to);
  if (refusal) throw new LabError('USAGE', refusal, graph.byId.has(to) ? { node: to } : {});
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const maxUnits = opts.maxUnits ?? 1024;
  const sampleShape = graph.input.outShape;
  if (sample.length !== sizeOf(sampleShape)) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `a sample for node '${graph.input.id}' has ${sizeOf(sampleShape)} values (shape ${formatShape(sampleShape)}), got ${sample.length}`,
      { node: graph.input.id },
    );
  }
  const between = nodesBetween(graph, from, to);
  for (const id of between) {
    const size = sizeOf(graph.byId.get(id)!.outShape);
    if (size > maxUnits) {
      throw new LabError(
        'USAGE',
        `'${id}' gives ${size} values per sample: a network Jacobian through it is too large to compute here (at most ${maxUnits})`,
        { node: id },
      );
    }
  }

  return isolated(() => {
    const x = Tensor.from(sample, [1, ...sampleShape]);
    const { outputs } = noGrad(() => model.forward(x, { training: false, rng: new Rng(0) }));
    const weights64 = new Map<string, Record<string, Tensor>>();
    const weightsOf = (n: CompiledNode) => {
      let w = weights64.get(n.id);
      if (!w) {
        w = Object.fromEntries(
          Object.entries(nodeWeights(model, n)).map(([k, t]) => [
            k,
            Tensor.from(t.data, t.shape, 'float64'),
          ]),
        );
        weights64.set(n.id, w);
      }
      return w;
    };
    const fixed = (id: string) => {
      const t = outputs.get(id)!;
      return Tensor.from(t.data, t.shape, 'float64');
    };
    /** Forward in float64 over `nodes` (inputs first), starting from `start`'s given values. */
    const forward = (nodes: string[], start: string, value: Float64Array) =>
      noGrad(() => {
        const v = new Map<string, Tensor>([
          [start, new Tensor(value, [1, ...graph.byId.get(start)!.outShape])],
        ]);
        for (const id of nodes) {
          if (id === start) continue;
          const n = graph.byId.get(id)!;
          const args = n.inputs.map((s) => v.get(s) ?? fixed(s));
          v.set(id, runNodeLayer(n, args, weightsOf(n), false, new Rng(0)));
        }
        return v;
      });

    const base = forward(between, from, Float64Array.from(outputs.get(from)!.data));
    const inside = new Set(between);
    const factors: JacobianFactor[] = [];
    const factorOf = new Map<string, number>();
    for (const id of between) {
      if (id === from) continue;
      const n = graph.byId.get(id)!;
      const value = (s: string) => base.get(s) ?? fixed(s);
      for (const f of layerFactors(n, value, inside, weightsOf(n))) {
        factorOf.set(edge(f.input, f.node), factors.length);
        factors.push(f);
      }
    }

    /** ∂b/∂a as the sum over paths, accumulated node by node: M_v = Σ_u J_{v←u} M_u. */
    const total = (a: string, b: string) => {
      const nodes = nodesBetween(graph, a, b);
      const cols = size(a);
      const m = new Map<string, Float64Array>([[a, identity(cols)]]);
      for (const id of nodes.slice(1)) {
        const acc = new Float64Array(size(id) * cols);
        for (const s of new Set(graph.byId.get(id)!.inputs)) {
          const mu = m.get(s);
          if (!mu) continue;
          const f = factors[factorOf.get(edge(s, id))!];
          addProduct(acc, f.data, f.rows, f.cols, mu, cols);
        }
        m.set(id, acc);
      }
      return m.get(b)!;
    };
    const size = (id: string) => sizeOf(graph.byId.get(id)!.outShape);
    /** ∂b/∂a by central differences, nudging each of a's values in turn. */
    const numeric = (a: string, b: string) => {
      const nodes = nodesBetween(graph, a, b);
      const at = base.get(a)!.data as Float64Array;
      const rows = size(b);
      const cols = size(a);
      const out = new Float64Array(rows * cols);
      for (let j = 0; j < cols; j++) {
        const h = eps * Math.max(1, Math.abs(at[j]));
        const nudged = Float64Array.from(at);
        nudged[j] = at[j] + h;
        const plus = forward(nodes, a, nudged).get(b)!.data;
        nudged[j] = at[j] - h;
        const minus = forward(nodes, a, nudged).get(b)!.data;
        for (let i = 0; i < rows; i++) out[i * cols + j] = (plus[i] - minus[i]) / (2 * h);
      }
      return out;
    };
    const checkPair = (a: string, b: string, analytic = total(a, b)): PairCheck => {
      const rows = size(b);
      const cols = size(a);
      const check = compareGradients(
        `∂${b}/∂${a}`,
        [rows, cols],
        analytic,
        numeric(a, b),
        atol,
        rtol,
      );
      return { from: a, to: b, rows, cols, check };
    };

    const listed = listPaths(graph, from, to, Math.max(1, opts.maxPaths ?? 8));
    const paths = listed.map((nodes) => {
      const idx = nodes.slice(1).map((id, k) => factorOf.get(edge(nodes[k], id))!);
      // Every partial product is ∂(node)/∂from: its columns are from's values.
      const cols = factors[idx[0]].cols;
      let product = factors[idx[0]].data;
      for (const k of idx.slice(1)) {
        const f = factors[k];
        const next = new Float64Array(f.rows * cols);
        addProduct(next, f.data, f.rows, f.cols, product, cols);
        product = next;
      }
      return { nodes, factors: idx, product: Float64Array.from(product) };
    });

    const product = total(from, to);
    const num = numeric(from, to);
    const main = compareGradients(
      `∂${to}/∂${from}`,
      [size(to), size(from)],
      product,
      num,
      atol,
      rtol,
    );
    const checkedPath = Math.min(Math.max(0, Math.floor(opts.path ?? 0)), paths.length - 1);
    const along = paths[checkedPath].nodes;
    const pairIds: [string, string][] = [];
    for (let i = 0; i < along.length; i++)
      for (let j = i + 1; j < along.length; j++) pairIds.push([along[i], along[j]]);
    const maxPairs = opts.maxPairs ?? 66;
    const pairs = pairIds
      .slice(0, maxPairs)
      .map(([a, b]) =>
        a === from && b === to
          ? { from: a, to: b, rows: size(b), cols: size(a), check: main }
          : checkPair(a, b),
      );
    const detached = between.filter((id) => id !== to && graph.byId.get(id)!.detach);

    return {
      from,
      to,
      rows: size(to),
      cols: size(from),
      fromShape: graph.byId.get(from)!.outShape.slice(),
      toShape: graph.byId.get(to)!.outShape.slice(),
      between,
      factors,
      pathCount: countPaths(graph, from, to),
      paths,
      product,
      numeric: num,
      check: main,
      checkedPath,
      pairs,
      pairsLeft: pairIds.length - pairs.length,
      detached,
      eps,
      atol,
      rtol,
    };
  });
}

const edge = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * A node's Jacobians with respect to each of its inputs on the paths, row by row: row i is the
 * layer's backward of a one-hot seed on output i. Slots fed by the same node add up.
 */
function layerFactors(
  n: CompiledNode,
  value: (id: string) => Tensor,
  inside: Set<string>,
  weights: Record<string, Tensor>,
): JacobianFactor[] {
  const rows = sizeOf(n.outShape);
  const sources = [...new Set(n.inputs.filter((s) => inside.has(s)))];
  const data = new Map(
    sources.map((s) => [s, new Float64Array(rows * sizeOf(value(s).shape.slice(1)))]),
  );
  for (let i = 0; i < rows; i++) {
    // The tape is spent by each backward, so the layer runs once per row.
    const args = n.inputs.map((s) => {
      const v = value(s);
      return inside.has(s) ? new Tensor(v.data, v.shape, true) : v;
    });
    const y = runNodeLayer(n, args, weights, false, new Rng(0));
    const seed = Tensor.zeros(y.shape, 'float64');
    seed.data[i] = 1;
    backward(y, { grad: seed });
    args.forEach((a, k) => {
      const s = n.inputs[k];
      if (!inside.has(s) || !a.grad) return;
      const d = data.get(s)!;
      const cols = d.length / rows;
      for (let j = 0; j < cols; j++) d[i * cols + j] += a.grad.data[j];
    });
  }
  const linear = n.def.lab?.linear;
  return sources.map((s) => {
    const d = data.get(s)!;
    const cols = d.length / rows;
    const kind: FactorKind = linear ? 'linear' : diagonalKind(d, rows, cols);
    return {
      node: n.id,
      input: s,
      rows,
      cols,
      data: d,
      kind,
      ...(linear ? { weight: `${n.id}.${linear.weight}` } : {}),
    };
  });
}

function diagonalKind(d: Float64Array, rows: number, cols: number): FactorKind {
  if (rows !== cols) return 'general';
  let ones = true;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = d[r * cols + c];
      if (r !== c && v !== 0) return 'general';
      if (r === c && v !== 1) ones = false;
    }
  }
  return ones ? 'identity' : 'diagonal';
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

/** acc (rows × cols) += a (rows × inner) · b (inner × cols). */
function addProduct(
  acc: Float64Array,
  a: Float64Array,
  rows: number,
  inner: number,
  b: Float64Array,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < inner; k++) {
      const v = a[r * inner + k];
      if (v === 0) continue;
      for (let c = 0; c < cols; c++) acc[r * cols + c] += v * b[k * cols + c];
    }
  }
}
