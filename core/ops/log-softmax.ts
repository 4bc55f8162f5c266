import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';

/** log(softmax(x)) over the last axis, computed stably. Saves its output: gx = gy − eʸ·Σgy. */
export function logSoftmax(x: Tensor): Tensor {
  const k = x.shape[x.rank - 1];
  const X = x.data;
  const Y = allocLike(X, X.length);
  for (let r = 0; r < X.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (X[r + j] > max) max = X[r + j];
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(X[r + j] - max);
    const lse = max + Math.log(s);
    for (let j = 0; j < k; j++) Y[r + j] = X[r + j] - lse;
  }
  const y = new Tensor(Y, x.shape.slice());
  if (tracking(x)) {
    record('logSoftmax', [x], y, [y], ([gy], [s]) => {
      const G = gy!.data,
        S = s.data;
      const gx = allocLike(G, G.length);
      for (let r = 0; r < G.length; r += k) {
        let total = 0;
        for (let j = 0; j < k; j++) total += G[r + j];
        for (let j = 0; j < k; j++) gx[r + j] = G[r + j] - Math.exp(S[r + j]) * total;
      }
      return [new Tensor(gx, s.shape.slice())];
    });
  }
  return y;
}
