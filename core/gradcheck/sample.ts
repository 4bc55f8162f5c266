import { Tensor, sizeOf } from '../tensor/tensor';
import type { Rng } from '../util/rng';

/**
 * Values with |v| in [0.1, 1] and a random sign: far enough from 0 that a step of eps never
 * crosses the kink of ReLU-like functions, small enough that nothing saturates.
 */
export function awayFromZero(shape: number[], rng: Rng): Tensor {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (rng.uniform() < 0.5 ? -1 : 1) * rng.range(0.1, 1);
  return new Tensor(data, shape.slice());
}

/** Uniform values in [−1, 1): the fixed weighting r of the scalar loss Σ y ⊙ r. */
export function uniformSigned(shape: number[], rng: Rng): Tensor {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.range(-1, 1);
  return new Tensor(data, shape.slice());
}

/** A float64 copy (finite differences need double precision). */
export function toFloat64(t: Tensor): Tensor {
  return Tensor.from(t.data, t.shape, 'float64');
}
