import type { Tensor } from '../../tensor/tensor';

/** The one input of a single-input layer. */
export function single(x: Tensor | Tensor[]): Tensor {
  return Array.isArray(x) ? x[0] : x;
}
