import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';

/** Softmax over the last axis, computed stably. Saves its output: gx = y ⊙ (gy − Σ gy⊙y). */
export function softmax(x: Tensor): Tensor {
  const k = x.shape[x.rank - 1];
  const Y = softmaxData(x.data, k);
  const y = new Tensor(Y, x.shape.slice());
  if (tracking(x)) {
    record('softmax', [x], y, [y], ([gy], [s]) => {
      const G = gy!.data,
        S = s.data;
      const gx = allocLike(G, G.length);
      for (let r = 0; r < G.length; r += k) {
        let dot = 0;
        for (let j = 0; j < k; j++) dot += G[r + j] * S[r + j];
        for (let j = 0; j < k; j++) gx[r + j] = S[r + j] * (G[r + j] - dot);
      }
      return [new Tensor(gx, s.shape.slice())];
    });
  }
  return y;
}

/** Row-wise softmax of a row-major buffer whose rows have k values. */
export function softmaxData(X: Tensor['data'], k: number): Tensor['data'] {
  const Y = allocLike(X, X.length);
  for (let r = 0; r < X.length; r += k) {
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
  return Y;
}
