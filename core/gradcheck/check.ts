import { backward } from '../autograd/backward';
import { autogradState, noGrad, withGrad } from '../autograd/state';
import { Tensor, formatShape, sameShape } from '../tensor/tensor';
import type { Rng } from '../util/rng';
import { isLabError } from '../util/errors';
import { compareGradients, unravel } from './compare';
import { uniformSigned } from './sample';
import type { GradcheckResult } from './types';

/** A tensor whose gradient is checked, under the name the result reports. */
export interface CheckedLeaf {
  name: string;
  tensor: Tensor;
}

export interface CheckSettings {
  eps: number;
  atol: number;
  rtol: number;
}

/**
 * The check itself: loss = Σ y ⊙ r for a fixed random r, analytic gradients by one backward,
 * numeric ones by central differences on every element of every leaf, each evaluation run
 * without recording. `forward` must give the same function every call (fresh random draws are
 * the caller's business). Faults never escape: they come back as `error`.
 *
 * `where` names the layer or op in messages, e.g. "Wacky (node gradcheck)".
 */
export function runCheck(
  label: string,
  where: string,
  leaves: CheckedLeaf[],
  forward: () => Tensor,
  s: CheckSettings,
  rng: Rng,
): GradcheckResult {
  const result: GradcheckResult = { ok: false, layer: label, tensors: [] };
  // Inspection runs must not show up in a training step's memory accounting.
  const meter = autogradState.meter;
  autogradState.meter = null;
  try {
    for (const l of leaves) {
      l.tensor.requiresGrad = true;
      l.tensor.grad = null;
    }
    const y = withGrad(true, forward);
    checkOutput(where, y, null);
    const yShape = y.shape.slice();
    const r = uniformSigned(yShape, rng);
    withGrad(true, () => backward(y, { grad: r }));
    const analytic = leaves.map((l) => analyticGrad(where, l));

    const objective = (nudged: string): number => {
      const out = noGrad(forward);
      checkOutput(where, out, nudged);
      if (!sameShape(out.shape, yShape)) {
        throw new Error(
          `${where}: the output shape changed from ${formatShape(yShape)} to ${formatShape(out.shape)} when ${nudged} was moved`,
        );
      }
      let f = 0;
      for (let i = 0; i < out.data.length; i++) f += out.data[i] * r.data[i];
      return f;
    };
    leaves.forEach((l, k) => {
      const numeric = centralDifferences(l, s.eps, objective);
      result.tensors.push(
        compareGradients(l.name, l.tensor.shape, analytic[k], numeric, s.atol, s.rtol),
      );
    });
    result.ok = result.tensors.every((t) => t.ok);
    if (!result.ok && leaves.length && !y.requiresGrad) {
      // The usual plugin slip: no backward, and a forward that writes into ctx.zeros by hand.
      result.error =
        `${where}: the output is not connected to ${leaves.map((l) => l.name).join(', ')} for ` +
        'autograd; a layer without backward must compute with ctx.ops';
    }
  } catch (e) {
    result.ok = false;
    result.error = e instanceof Error ? e.message : String(e);
    const place = isLabError(e) ? e.place : undefined;
    if (place?.line !== undefined) result.at = { line: place.line, column: place.column };
  } finally {
    autogradState.meter = meter;
  }
  return result;
}

function centralDifferences(
  leaf: CheckedLeaf,
  eps: number,
  objective: (nudged: string) => number,
): Float64Array {
  const d = leaf.tensor.data;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const nudged = `${leaf.name}[${unravel(i, leaf.tensor.shape).join(', ')}]`;
    const v = d[i];
    try {
      d[i] = v + eps;
      const plus = objective(nudged);
      d[i] = v - eps;
      const minus = objective(nudged);
      out[i] = (plus - minus) / (2 * eps);
    } finally {
      d[i] = v;
    }
  }
  return out;
}

/** The leaf's gradient as doubles; no gradient at all means the output does not depend on it. */
function analyticGrad(where: string, l: CheckedLeaf): Float64Array {
  const g = l.tensor.grad;
  if (!g) return new Float64Array(l.tensor.size);
  if (!sameShape(g.shape, l.tensor.shape)) {
    throw new Error(
      `${where}: the gradient for ${l.name} has shape ${formatShape(g.shape)}, expected ${formatShape(l.tensor.shape)}`,
    );
  }
  return Float64Array.from(g.data);
}

function checkOutput(where: string, y: unknown, nudged: string | null): asserts y is Tensor {
  if (!(y instanceof Tensor)) throw new Error(`${where}: forward did not return a Tensor`);
  const d = y.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const when = nudged ? ` when ${nudged} was moved` : '';
      throw new Error(
        `${where}: the output is ${d[i]} at index [${unravel(i, y.shape).join(', ')}]${when}`,
      );
    }
  }
}
