import type { Tensor } from '../tensor/tensor';
import type { BackwardRule, GradFn } from './grad-fn';
import { autogradState } from './state';

/**
 * Whether an operation on these inputs must be recorded for backward. (Fixed parameters, not a
 * rest array: it runs for every op of every step.)
 */
export function tracking(
  a: Tensor | null | undefined,
  b?: Tensor | null,
  c?: Tensor | null,
): boolean {
  if (!autogradState.enabled) return false;
  return !!((a && a.requiresGrad) || (b && b.requiresGrad) || (c && c.requiresGrad));
}

/** `tracking` for any number of inputs. */
export function trackingAny(inputs: readonly Tensor[]): boolean {
  if (!autogradState.enabled) return false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}

/** Which inputs want a gradient (valid only when `tracking` is true). */
export function needsOf(inputs: readonly Tensor[]): boolean[] {
  const needs = new Array<boolean>(inputs.length);
  for (let i = 0; i < inputs.length; i++) needs[i] = inputs[i].requiresGrad;
  return needs;
}

/**
 * What an op keeps, with which inputs' gradients each kept tensor is for (see GradFn.serves):
 * linear keeps `{ tensors: [x, w], serves: [[1], [0]] }`, x for W's gradient and W for x's.
 */
export interface Kept {
  tensors: Tensor[];
  serves: readonly (readonly number[])[];
}

/**
 * Record an operation on the tape. Call only when `tracking(...inputs)` is true, after deciding
 * from `needsOf(inputs)` what backward will need: that, and only that, goes into `saved` (a
 * list, or a Kept that also says what each tensor is for).
 */
export function record(
  name: string,
  inputs: Tensor[],
  outputs: Tensor | Tensor[],
  kept: Tensor[] | Kept,
  backward: BackwardRule,
): void {
  const saved = Array.isArray(kept) ? kept : kept.tensors;
  const serves = Array.isArray(kept) ? undefined : kept.serves;
  const single = !Array.isArray(outputs);
  const outs = single ? null : outputs;
  const fn: GradFn = {
    name,
    node: autogradState.node,
    inputs,
    needs: needsOf(inputs),
    outputShapes: single ? [outputs.shape] : outputs.map((o) => o.shape),
    saved,
    backward,
    ...(serves ? { serves } : {}),
  };
  if (single) {
    outputs.requiresGrad = true;
    outputs.gradFn = fn;
    outputs.outputIndex = 0;
  } else {
    for (let i = 0; i < outs!.length; i++) {
      outs![i].requiresGrad = true;
      outs![i].gradFn = fn;
      outs![i].outputIndex = i;
    }
  }
  if (saved.length && autogradState.meter)
    autogradState.meter.hold(saved, fn.node, fn, single ? [outputs] : outs!);
}
