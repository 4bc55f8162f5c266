import type { Tensor } from '../tensor/tensor';

/** Updates weights in place from their `.grad`; weights without a gradient are skipped (as in PyTorch). */
export interface Optimizer {
  step(): void;
  zeroGrad(): void;
  /** Number of steps taken. */
  readonly steps: number;
}

export function zeroGrads(params: readonly Tensor[]): void {
  for (const p of params) p.grad = null;
}
