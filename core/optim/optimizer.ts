import type { Tensor } from '../tensor/tensor';

/**
 * What an optimizer keeps for one weight between steps: buffers the weight's shape (momentum,
 * Adam's moments) and counts (Adam's step count). Saved with a trained project, so a resumed run
 * takes exactly the steps an uninterrupted one would.
 */
export type WeightState = Record<string, Float32Array | number>;

/** The fields of a WeightState: 'buffer' (a Float32Array the weight's size) or 'count' (a whole number ≥ 0). */
export type StateFields = Record<string, 'buffer' | 'count'>;

/** Updates weights in place from their `.grad`; weights without a gradient are skipped (as in PyTorch). */
export interface Optimizer {
  step(): void;
  zeroGrad(): void;
  /** Number of steps taken (set when a saved run resumes). */
  steps: number;
  /** The fields every WeightState of this optimizer has. */
  readonly stateFields: StateFields;
  /** The state kept for one weight, or null when there is none (before its first step, or plain SGD). */
  stateOf(p: Tensor): WeightState | null;
  /** Put back a state saved by stateOf (its fields checked against stateFields beforehand). */
  setStateOf(p: Tensor, s: WeightState): void;
}

export function zeroGrads(params: readonly Tensor[]): void {
  for (const p of params) p.grad = null;
}
