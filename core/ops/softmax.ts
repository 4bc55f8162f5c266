import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import type { Out } from './kernels/types';

/** Softmax over the last axis, computed stably. Saves its output: gx = y ⊙ (gy − Σ gy⊙y). */
export function softmax(x: Tensor): Tensor {
  const k = x.shape[x.rank - 1];
  const y = new Tensor(softmaxData(x.data, k), x.shape.slice());
  if (tracking(x)) {
    record('softmax', [x], y, [y], ([gy], [s]) => {
      const gx = new Tensor(allocLike(s, s.size), s.shape.slice());
      softmaxBackward(gy!.data, s.data, gx.data, k);
      return [gx];
    });
  }
  return y;
}

/** Row-wise softmax of a row-major buffer whose rows have k values. */
export function softmaxData(X: Tensor['data'], k: number): Tensor['data'] {
  const Y = allocLike(X, X.length);
  softmaxForward(X, Y, k);
  return Y;
}

export function softmaxForward(X: ArrayLike<number>, Y: Out, k: number): void {
  for (let r = 0; r < Y.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (X[r + j] > max) max = X[r + j];
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(X[r + j] - max);
      Y[r + j] = e;
      s += e;
    }
    for (let j = 0; j < k; j++) Y[r + j] /= s;
  }
}

/** From the saved output S. */
export function softmaxBackward(
  G: ArrayLike<number>,
  S: ArrayLike<number>,
  GX: Out,
  k: number,
): void {
  for (let r = 0; r < GX.length; r += k) {
    let dot = 0;
    for (let j = 0; j < k; j++) dot += G[r + j] * S[r + j];
    for (let j = 0; j < k; j++) GX[r + j] = S[r + j] * (G[r + j] - dot);
  }
}
