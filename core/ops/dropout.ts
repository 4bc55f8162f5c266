import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import type { Rng } from '../util/rng';
import { map2 } from './elementwise';

/**
 * Inverted dropout: zero each value with probability p and scale the rest by 1/(1−p).
 * Saves the scaled mask. Draws from `rng`, so a seeded run drops the same units every time.
 */
export function dropout(x: Tensor, p: number, rng: Rng): Tensor {
  if (p <= 0) return x;
  const keep = 1 - p;
  const M = allocLike(x, x.size);
  for (let i = 0; i < M.length; i++) M[i] = rng.uniform() < keep ? 1 / keep : 0;
  const mask = new Tensor(M, x.shape.slice());
  const y = map2(x, mask, (v, m) => v * m);
  if (tracking(x))
    record('dropout', [x], y, [mask], ([gy], [m]) => [map2(gy!, m, (g, s) => g * s)]);
  return y;
}
