import type { Tensor } from '../tensor/tensor';
import { Rng } from '../util/rng';
import { runCheck } from './check';
import { toFloat64 } from './sample';
import type { GradcheckOpOptions, GradcheckResult } from './types';

/**
 * Check one op's gradients against central differences. Inputs are copied to float64; those
 * not in `wrt` (loss targets, class indices) are passed as constants. A random op must draw
 * the same values every call: give it a clone of a fixed generator each time.
 *
 * @example gradcheckOp((a, b) => ops.mul(a, b), [a, b]).ok
 * @example gradcheckOp((p, y) => ops.bce(p, y), [p, y], { wrt: [0] })
 */
export function gradcheckOp(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: GradcheckOpOptions = {},
): GradcheckResult {
  const label = opts.name ?? (fn.name || 'op');
  const xs = inputs.map(toFloat64);
  const wrt = opts.wrt ?? xs.map((_, i) => i);
  const bad = wrt.find((i) => !Number.isInteger(i) || i < 0 || i >= xs.length);
  if (bad !== undefined) {
    return {
      ok: false,
      layer: label,
      tensors: [],
      error: `${label}: wrt names input ${bad}, but the op has ${xs.length} input(s)`,
    };
  }
  const leaves = wrt.map((i) => ({ name: `input${i}`, tensor: xs[i] }));
  const settings = { eps: opts.eps ?? 1e-6, atol: opts.atol ?? 1e-5, rtol: opts.rtol ?? 1e-3 };
  return runCheck(label, label, leaves, () => fn(...xs), settings, new Rng(opts.seed ?? 0));
}
