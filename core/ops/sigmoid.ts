import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** σ(x) = 1 / (1 + e⁻ˣ). Saves its output: σ′ = σ(1 − σ). */
export function sigmoid(x: Tensor): Tensor {
  const y = map(x, sigmoidScalar);
  if (tracking(x)) {
    record('sigmoid', [x], y, [y], ([gy], [s]) => [map2(gy!, s, (g, v) => g * v * (1 - v))]);
  }
  return y;
}

export function sigmoidScalar(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}
