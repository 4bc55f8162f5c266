// The Jacobian view's data, computed in the worker: ∂to/∂from between two nodes for one sample,
// as core's network Jacobian gives it (factors, paths, product, finite differences, the pair
// check), with every matrix cut to its first rows and columns for the message.
import type { TensorCheck } from '../../../core/gradcheck/types';
import { pathRefusal } from '../../../core/inspect/graph-paths';
import { networkJacobian } from '../../../core/inspect/network-jacobian';
import { sizeOf } from '../../../core/tensor/tensor';
import { LabError } from '../../../core/util/errors';
import type {
  CappedMatrix,
  JacobianCheckView,
  JacobianResult,
  ViewQuery,
} from '../../lab/inspect-types';
import { LIMITS } from './views';
import type { Workbench } from './workbench';

type JacobianQuery = Extract<ViewQuery, { view: 'jacobian' }>;

export function jacobianView(wb: Workbench, q: JacobianQuery): JacobianResult {
  const g = wb.graph;
  const choices = g.nodes.map((n) => ({ id: n.id, type: n.type, size: sizeOf(n.outShape) }));
  const samples = Math.min(wb.train.n, LIMITS.jacobianSamples);
  const s = Math.max(
    0,
    Math.min(samples - 1, Math.round(Number.isFinite(q.sample) ? q.sample : 0)),
  );
  const inDim = wb.train.inDim;
  const x = wb.train.x.slice(s * inDim, (s + 1) * inDim);
  const { from, to } = ends(wb, q);
  const base = { view: 'jacobian' as const, choices, from, to, sample: s, samples, x };
  const refusal = pathRefusal(g, from, to);
  if (refusal) return { ...base, refusal, network: null };
  const cap = LIMITS.jacobianCells;
  try {
    const j = networkJacobian(wb.model, from, to, x, { path: q.path ?? 0 });
    return {
      ...base,
      refusal: null,
      network: {
        rows: j.rows,
        cols: j.cols,
        between: j.between,
        factors: j.factors.map((f) => ({
          node: f.node,
          input: f.input,
          kind: f.kind,
          ...(f.weight ? { weight: f.weight } : {}),
          matrix: capped(f.data, f.rows, f.cols, cap),
        })),
        pathCount: j.pathCount,
        paths: j.paths.map((p) => ({
          nodes: p.nodes,
          factors: p.factors,
          product: capped(p.product, j.rows, j.cols, cap),
        })),
        product: capped(j.product, j.rows, j.cols, cap),
        numeric: capped(j.numeric, j.rows, j.cols, cap),
        check: checkView(j.check),
        checkedPath: j.checkedPath,
        pairs: j.pairs.map((p) => ({ ...p, check: checkView(p.check) })),
        pairsLeft: j.pairsLeft,
        detached: j.detached,
        eps: j.eps,
        atol: j.atol,
        rtol: j.rtol,
        cap,
      },
    };
  } catch (e) {
    // A node too wide to differentiate through: said on the view, like a pair off the path.
    if (e instanceof LabError && e.code === 'USAGE')
      return { ...base, refusal: e.message, network: null };
    throw e;
  }
}

/** The two ends asked for, or ∂ŷ/∂x; the older one-node form goes from the node's input. */
function ends(wb: Workbench, q: JacobianQuery): { from: string; to: string } {
  const g = wb.graph;
  if (q.from !== undefined || q.to !== undefined || !q.node || !g.byId.has(q.node)) {
    return { from: q.from ?? g.input.id, to: q.to ?? g.output.id };
  }
  const n = g.byId.get(q.node)!;
  const before = n.inputs.length === 1 ? g.byId.get(n.inputs[0]) : undefined;
  const through = q.withDense && before?.def.lab?.linear && before.inputs.length === 1;
  return { from: through ? before.inputs[0] : (n.inputs[0] ?? n.id), to: n.id };
}

function checkView(c: TensorCheck): JacobianCheckView {
  return { ok: c.ok, maxAbsError: c.maxAbsError, maxRelError: c.maxRelError, worst: c.worst };
}

function capped(data: Float64Array, rows: number, cols: number, cap: number): CappedMatrix {
  const r = Math.min(rows, cap);
  const c = Math.min(cols, cap);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) out.set(data.subarray(i * cols, i * cols + c), i * c);
  let sq = 0;
  for (const v of data) sq += v * v;
  return { rows: r, cols: c, fullRows: rows, fullCols: cols, data: out, norm: Math.sqrt(sq) };
}
