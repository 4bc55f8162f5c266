import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import type { Rng } from '../util/rng';
import type { Out } from './kernels/types';

/**
 * Inverted dropout: zero each value with probability p and scale the rest by 1/(1−p).
 * Saves the scaled mask. Draws from `rng`, so a seeded run drops the same units every time.
 */
export function dropout(x: Tensor, p: number, rng: Rng): Tensor {
  if (p <= 0) return x;
  const mask = new Tensor(allocLike(x, x.size), x.shape.slice());
  const y = new Tensor(allocLike(x, x.size), x.shape.slice());
  dropoutForward(x.data, mask.data, y.data, p, rng);
  if (tracking(x)) {
    record('dropout', [x], y, [mask], ([gy], [m]) => {
      const gx = new Tensor(allocLike(m, m.size), m.shape.slice());
      dropoutBackward(gy!.data, m.data, gx.data);
      return [gx];
    });
  }
  return y;
}

export function dropoutForward(X: ArrayLike<number>, M: Out, Y: Out, p: number, rng: Rng): void {
  const keep = 1 - p;
  for (let i = 0; i < M.length; i++) M[i] = rng.uniform() < keep ? 1 / keep : 0;
  for (let i = 0; i < Y.length; i++) Y[i] = X[i] * M[i];
}

export function dropoutBackward(G: ArrayLike<number>, M: ArrayLike<number>, GX: Out): void {
  for (let i = 0; i < GX.length; i++) GX[i] = G[i] * M[i];
}
