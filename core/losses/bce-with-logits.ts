import { record, tracking } from '../autograd/record';
import { sigmoidScalar } from '../ops/sigmoid';
import { Tensor, allocLike } from '../tensor/tensor';
import type { Out } from '../ops/kernels/types';
import { checkProbabilityTargets } from './bce';
import { noTargetGrad, sameShapeOrThrow, targetsLikeOutput, widthOfTargets } from './check';
import type { LossDefinition } from './definition';

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
  const out = allocLike(z, 1);
  out[0] = bceWithLogitsValue(Z, Y);
  const loss = new Tensor(out, []);
  if (tracking(z)) {
    record('BCEWithLogits', [z, y], loss, [z, y], ([g], [sz, sy]) => {
      const gz = allocLike(sz.data, n);
      bceWithLogitsBackward(sz.data, sy.data, g!.data[0], gz);
      return [new Tensor(gz, sz.shape.slice()), null];
    });
  }
  return loss;
}

export function bceWithLogitsValue(Z: ArrayLike<number>, Y: ArrayLike<number>): number {
  const n = Z.length;
  let s = 0;
  for (let i = 0; i < n; i++)
    s += Math.max(Z[i], 0) - Z[i] * Y[i] + Math.log1p(Math.exp(-Math.abs(Z[i])));
  return s / n;
}

/** ∂L/∂z = g · (σ(z) − y) / n. */
export function bceWithLogitsBackward(
  Z: ArrayLike<number>,
  Y: ArrayLike<number>,
  g: number,
  GZ: Out,
): void {
  const n = Z.length;
  const gl = g / n;
  for (let i = 0; i < n; i++) GZ[i] = gl * (sigmoidScalar(Z[i]) - Y[i]);
}

export const BCEWithLogits: LossDefinition = {
  type: 'BCEWithLogits',
  regression: false,
  readout: 'logit',
  guessing: () => ({ loss: Math.LN2, what: 'a logit of 0, the probability 0.5, for every sample' }),
  op: bceWithLogits,
  targetShape: targetsLikeOutput('BCEWithLogits'),
  outputWidth: widthOfTargets,
  checkTargets: (Y, width) => checkProbabilityTargets('BCEWithLogits', Y, width),
  scratchSize: () => 0,
  forward: (P, Y) => bceWithLogitsValue(P, Y),
  backward: (P, Y, _S, g, _rows, G) => bceWithLogitsBackward(P, Y, g, G),
};
