import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import { noTargetGrad, sameShapeOrThrow } from './check';

/**
 * Binary cross-entropy on probabilities, mean over all values:
 * L = −mean(y log ŷ + (1 − y) log(1 − ŷ)). Like PyTorch, each log is clamped at −100.
 * Saves ŷ and y.
 */
export function bce(p: Tensor, y: Tensor): Tensor {
  sameShapeOrThrow('BCE', p, y);
  noTargetGrad('BCE', y);
  const P = p.data,
    Y = y.data,
    n = P.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const lp = Math.max(Math.log(P[i]), -100);
    const lq = Math.max(Math.log(1 - P[i]), -100);
    s -= Y[i] * lp + (1 - Y[i]) * lq;
  }
  const out = allocLike(p, 1);
  out[0] = s / n;
  const loss = new Tensor(out, []);
  if (tracking(p)) {
    record('BCE', [p, y], loss, [p, y], ([g], [sp, sy]) => {
      const gl = g!.data[0] / n;
      const Ps = sp.data,
        Ys = sy.data;
      const gp = allocLike(Ps, n);
      // PyTorch: (ŷ − y) / max(ŷ(1 − ŷ), 1e-12)
      for (let i = 0; i < n; i++)
        gp[i] = (gl * (Ps[i] - Ys[i])) / Math.max(Ps[i] * (1 - Ps[i]), 1e-12);
      return [new Tensor(gp, sp.shape.slice()), null];
    });
  }
  return loss;
}
