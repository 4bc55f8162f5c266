import { record, tracking } from '../autograd/record';
import { sigmoidScalar } from '../ops/sigmoid';
import { Tensor, allocLike } from '../tensor/tensor';
import { noTargetGrad, sameShapeOrThrow } from './check';

/**
 * Binary cross-entropy on logits z, stable for any z, mean over all values:
 * L = mean(max(z, 0) − z·y + log(1 + e^−|z|)). Saves z and y; ∂L/∂z = (σ(z) − y) / n.
 */
export function bceWithLogits(z: Tensor, y: Tensor): Tensor {
  sameShapeOrThrow('BCEWithLogits', z, y);
  noTargetGrad('BCEWithLogits', y);
  const Z = z.data,
    Y = y.data,
    n = Z.length;
  let s = 0;
  for (let i = 0; i < n; i++)
    s += Math.max(Z[i], 0) - Z[i] * Y[i] + Math.log1p(Math.exp(-Math.abs(Z[i])));
  const out = allocLike(z, 1);
  out[0] = s / n;
  const loss = new Tensor(out, []);
  if (tracking(z)) {
    record('BCEWithLogits', [z, y], loss, [z, y], ([g], [sz, sy]) => {
      const gl = g!.data[0] / n;
      const gz = allocLike(sz.data, n);
      for (let i = 0; i < n; i++) gz[i] = gl * (sigmoidScalar(sz.data[i]) - sy.data[i]);
      return [new Tensor(gz, sz.shape.slice()), null];
    });
  }
  return loss;
}
