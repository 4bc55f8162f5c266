import type { Tensor } from '../tensor/tensor';
import type { BackwardRule, GradFn } from './grad-fn';
import { autogradState } from './state';

/** Whether an operation on these inputs must be recorded for backward. */
export function tracking(...inputs: (Tensor | null | undefined)[]): boolean {
  if (!autogradState.enabled) return false;
  for (const t of inputs) if (t && t.requiresGrad) return true;
  return false;
}

/** Which inputs want a gradient (valid only when `tracking` is true). */
export function needsOf(inputs: readonly Tensor[]): boolean[] {
  return inputs.map((t) => t.requiresGrad);
}

/**
 * Record an operation on the tape. Call only when `tracking(...inputs)` is true, after deciding
 * from `needsOf(inputs)` what backward will need: that, and only that, goes into `saved`.
 */
export function record(
  name: string,
  inputs: Tensor[],
  outputs: Tensor | Tensor[],
  saved: Tensor[],
  backward: BackwardRule,
): void {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const fn: GradFn = {
    name,
    node: autogradState.node,
    inputs,
    needs: needsOf(inputs),
    outputShapes: outs.map((o) => o.shape),
    saved,
    backward,
  };
  for (let i = 0; i < outs.length; i++) {
    outs[i].requiresGrad = true;
    outs[i].gradFn = fn;
    outs[i].outputIndex = i;
  }
  if (saved.length && autogradState.meter) autogradState.meter.hold(saved, fn.node);
}
