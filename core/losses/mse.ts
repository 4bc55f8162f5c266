import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import { sameShapeOrThrow } from './check';

/** Mean squared error over all values: L = mean((ŷ − y)²). Saves ŷ − y. */
export function mse(pred: Tensor, y: Tensor): Tensor {
  sameShapeOrThrow('MSE', pred, y);
  const P = pred.data,
    Y = y.data,
    n = P.length;
  const D = allocLike(pred, n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = P[i] - Y[i];
    D[i] = d;
    s += d * d;
  }
  const out = allocLike(pred, 1);
  out[0] = s / n;
  const loss = new Tensor(out, []);
  if (tracking(pred, y)) {
    const diff = new Tensor(D, pred.shape.slice());
    record('MSE', [pred, y], loss, [diff], ([g], [sd], needs) => {
      const k = (2 * g!.data[0]) / n;
      const gp = allocLike(sd.data, n);
      for (let i = 0; i < n; i++) gp[i] = k * sd.data[i];
      const gpT = new Tensor(gp, sd.shape.slice());
      let gy: Tensor | null = null;
      if (needs[1]) {
        const G = allocLike(sd.data, n);
        for (let i = 0; i < n; i++) G[i] = -gp[i];
        gy = new Tensor(G, sd.shape.slice());
      }
      return [needs[0] ? gpT : null, gy];
    });
  }
  return loss;
}
