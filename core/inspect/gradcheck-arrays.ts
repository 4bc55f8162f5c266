import { backward } from '../autograd/backward';
import { autogradState, noGrad, withGrad } from '../autograd/state';
import { compareGradients, unravel } from '../gradcheck/compare';
import { gradcheckLayer } from '../gradcheck/layer';
import { awayFromZero, uniformSigned } from '../gradcheck/sample';
import type { GradcheckLayerOptions, GradcheckResult } from '../gradcheck/types';
import { resolveParams } from '../graph/params';
import type { LayerDefinition } from '../layers/contract';
import { runLayer } from '../layers/run';
import { Tensor } from '../tensor/tensor';
import { Rng } from '../util/rng';

/** Every element of one checked tensor: the backward's gradient and central differences. */
export interface GradientArrays {
  name: string;
  shape: number[];
  analytic: Float64Array;
  numeric: Float64Array;
}

export interface GradcheckWithArrays extends GradcheckResult {
  /** One entry per checked tensor, in the order of `tensors`; empty when the check failed early. */
  arrays: GradientArrays[];
}

/**
 * gradcheckLayer, keeping the full analytic and numeric gradients for a side-by-side view.
 * Same inputs, weights and weighting r for the same seed, so the summaries equal
 * gradcheckLayer's. A layer that cannot be checked at all comes back with gradcheckLayer's
 * message and no arrays.
 *
 * @example gradcheckLayerArrays(wacky, { inShapes: [[4]] }).arrays[0].numeric
 */
export function gradcheckLayerArrays(
  def: LayerDefinition,
  opts: GradcheckLayerOptions,
): GradcheckWithArrays {
  const early = (): GradcheckWithArrays => ({ ...gradcheckLayer(def, opts), arrays: [] });
  let prepared: Prepared;
  try {
    prepared = prepare(def, opts);
  } catch {
    return early();
  }
  const meter = autogradState.meter;
  autogradState.meter = null;
  try {
    return run(prepared, opts);
  } catch {
    // A fault inside the layer: gradcheckLayer words it (with the node and the nudged element).
    return early();
  } finally {
    autogradState.meter = meter;
  }
}

interface Prepared {
  def: LayerDefinition;
  label: string;
  leaves: { name: string; tensor: Tensor }[];
  forward: () => Tensor;
  rng: Rng;
}

/** The same inputs and weights, in the same order from the same generator, as gradcheckLayer. */
function prepare(def: LayerDefinition, opts: GradcheckLayerOptions): Prepared {
  const { params, problems } = resolveParams(def.params, opts.params);
  if (problems.length) throw new Error('bad params');
  const built = def.build({ inShapes: opts.inShapes.map((s) => s.slice()), params });
  const rng = new Rng(opts.seed ?? 0);
  const batch = opts.batch ?? 2;
  const inputs = opts.inShapes.map((s) => awayFromZero([batch, ...s], rng));
  const weights = Object.fromEntries(
    Object.entries(built.weights ?? {}).map(([k, w]) => [k, awayFromZero(w.shape, rng)]),
  );
  const layerRng = new Rng(rng.nextUint32());
  const multiInput = inputs.length > 1;
  const leaves = [
    ...inputs.map((t, i) => ({ name: multiInput ? `x[${i}]` : 'x', tensor: t })),
    ...Object.entries(weights).map(([k, t]) => ({ name: k, tensor: t })),
  ];
  const forward = () =>
    runLayer(def, inputs, weights, {
      node: opts.node ?? 'gradcheck',
      source: opts.source ?? 'builtin',
      params,
      training: opts.training ?? true,
      rng: layerRng.clone(),
      outShape: built.outShape,
      multiInput,
    });
  return { def, label: def.type, leaves, forward, rng };
}

function run(p: Prepared, opts: GradcheckLayerOptions): GradcheckWithArrays {
  const eps = opts.eps ?? 1e-6,
    atol = opts.atol ?? 1e-5,
    rtol = opts.rtol ?? 1e-3;
  for (const l of p.leaves) {
    l.tensor.requiresGrad = true;
    l.tensor.grad = null;
  }
  const y = withGrad(true, p.forward);
  assertFinite(y);
  const r = uniformSigned(y.shape.slice(), p.rng);
  withGrad(true, () => backward(y, { grad: r }));
  const analytic = p.leaves.map((l) =>
    l.tensor.grad ? Float64Array.from(l.tensor.grad.data) : new Float64Array(l.tensor.size),
  );
  const objective = (): number => {
    const out = noGrad(p.forward);
    assertFinite(out);
    let f = 0;
    for (let i = 0; i < out.data.length; i++) f += out.data[i] * r.data[i];
    return f;
  };
  const arrays: GradientArrays[] = [];
  const tensors = p.leaves.map((l, k) => {
    const d = l.tensor.data;
    const numeric = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      try {
        d[i] = v + eps;
        const plus = objective();
        d[i] = v - eps;
        numeric[i] = (plus - objective()) / (2 * eps);
      } finally {
        d[i] = v;
      }
    }
    if (analytic[k].length !== numeric.length) throw new Error('gradient shape');
    arrays.push({ name: l.name, shape: l.tensor.shape.slice(), analytic: analytic[k], numeric });
    return compareGradients(l.name, l.tensor.shape, analytic[k], numeric, atol, rtol);
  });
  const result: GradcheckWithArrays = {
    ok: tensors.every((t) => t.ok),
    layer: p.label,
    tensors,
    arrays,
  };
  if (!result.ok) {
    // Let gradcheckLayer explain a failure it knows the cause of (no autograd connection).
    const summary = gradcheckLayer(p.def, opts);
    if (summary.error) result.error = summary.error;
  }
  return result;
}

function assertFinite(y: Tensor): void {
  for (let i = 0; i < y.data.length; i++) {
    if (!Number.isFinite(y.data[i]))
      throw new Error(`non-finite output at [${unravel(i, y.shape).join(', ')}]`);
  }
}
