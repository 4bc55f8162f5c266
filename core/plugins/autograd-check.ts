import { formatScientific } from '../util/number-format';
import { backward } from '../autograd/backward';
import { awayFromZero, uniformSigned } from '../gradcheck/sample';
import { resolveParams } from '../graph/params';
import type { LayerDefinition, Params } from '../layers/contract';
import { runLayer } from '../layers/run';
import { ops } from '../ops';
import { Rng } from '../util/rng';

export interface AutogradComparison {
  /** The forward is written with ctx.ops, so autograd can differentiate it. */
  traceable: boolean;
  /** The hand-written backward agrees with autograd (true when not traceable: nothing to compare). */
  ok: boolean;
  /** Largest |hand-written − autograd| over all gradients, and where. */
  maxAbsDiff: number;
  tensor?: string;
  message: string;
}

export interface CompareOptions {
  inShapes: number[][];
  params?: Params;
  batch?: number;
  seed?: number;
  source?: string;
}

/**
 * For a layer that writes its own backward: run its forward again through autograd (as if it
 * had no backward) and compare the two sets of gradients, in float64. A forward computed on raw
 * data instead of ctx.ops cannot be traced; that is reported, not counted as a failure.
 */
export function compareWithAutograd(
  def: LayerDefinition,
  o: CompareOptions,
): AutogradComparison | null {
  if (typeof def.backward !== 'function') return null;
  const { params } = resolveParams(def.params, o.params);
  const built = def.build({ inShapes: o.inShapes.map((s) => s.slice()), params });
  const rng = new Rng(o.seed ?? 1);
  const batch = o.batch ?? 2;
  const multi = o.inShapes.length > 1;
  const inputs = o.inShapes.map((s) => awayFromZero([batch, ...s], rng));
  const weights = Object.fromEntries(
    Object.entries(built.weights ?? {}).map(([k, w]) => [k, awayFromZero(w.shape, rng)]),
  );
  const names = [...inputs.map((_, i) => (multi ? `x[${i}]` : 'x')), ...Object.keys(weights)];
  const leaves = [...inputs, ...Object.values(weights)];
  const r = uniformSigned([batch, ...built.outShape], rng);
  const layerRng = new Rng(rng.nextUint32());

  const gradients = (d: LayerDefinition): (Float64Array | null)[] | 'untraceable' => {
    for (const t of leaves) {
      t.requiresGrad = true;
      t.grad = null;
    }
    const y = runLayer(d, inputs, weights, {
      node: 'autograd-check',
      source: o.source ?? 'builtin',
      params,
      training: true,
      rng: layerRng.clone(),
      outShape: built.outShape,
      multiInput: multi,
      requireTrace: false,
    });
    if (!y.requiresGrad) return 'untraceable';
    backward(ops.sum(ops.mul(y, r)));
    const gs = leaves.map((t) => (t.grad ? Float64Array.from(t.grad.data) : null));
    for (const t of leaves) t.grad = null;
    return gs;
  };

  const hand = gradients(def);
  const auto = gradients({ ...def, backward: undefined });
  if (hand === 'untraceable')
    return { traceable: false, ok: true, maxAbsDiff: 0, message: 'the layer records nothing' };
  if (auto === 'untraceable' || auto.some((g, i) => g === null && hasNonZero(hand[i]))) {
    return {
      traceable: false,
      ok: true,
      maxAbsDiff: 0,
      message:
        'forward computes on raw data, so autograd cannot trace it: checked against finite differences only',
    };
  }
  let worst = 0,
    where = '',
    ok = true;
  hand.forEach((h, i) => {
    const a = auto[i] ?? new Float64Array(h?.length ?? 0);
    const hh = h ?? new Float64Array(a.length);
    for (let j = 0; j < a.length; j++) {
      const d = Math.abs(hh[j] - a[j]);
      if (d > worst) {
        worst = d;
        where = names[i];
      }
      if (d > 1e-7 + 1e-5 * Math.abs(a[j])) ok = false;
    }
  });
  return {
    traceable: true,
    ok,
    maxAbsDiff: worst,
    tensor: where || undefined,
    message: ok
      ? `hand-written backward agrees with autograd (max difference ${formatScientific(worst)})`
      : `hand-written backward differs from autograd in ${where} by up to ${formatScientific(worst, 4)}`,
  };
}

function hasNonZero(g: Float64Array | null): boolean {
  return !!g && g.some((v) => v !== 0);
}
