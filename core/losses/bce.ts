import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import type { Out } from '../ops/kernels/types';
import { noTargetGrad, sameShapeOrThrow, targetsLikeOutput, widthOfTargets } from './check';
import { type LossDefinition, type TargetProblem, firstOutsideUnit } from './definition';

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
  const out = allocLike(p, 1);
  out[0] = bceValue(P, Y);
  const loss = new Tensor(out, []);
  if (tracking(p)) {
    record('BCE', [p, y], loss, [p, y], ([g], [sp, sy]) => {
      const gp = allocLike(sp.data, n);
      bceBackward(sp.data, sy.data, g!.data[0], gp);
      return [new Tensor(gp, sp.shape.slice()), null];
    });
  }
  return loss;
}

/** The mean loss (the kernel the op and the fused training plan share). */
export function bceValue(P: ArrayLike<number>, Y: ArrayLike<number>): number {
  const n = P.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const lp = Math.max(Math.log(P[i]), -100);
    const lq = Math.max(Math.log(1 - P[i]), -100);
    s -= Y[i] * lp + (1 - Y[i]) * lq;
  }
  return s / n;
}

/** ∂L/∂ŷ for an upstream gradient g, as PyTorch: (ŷ − y) / max(ŷ(1 − ŷ), 1e-12) / n. */
export function bceBackward(P: ArrayLike<number>, Y: ArrayLike<number>, g: number, GP: Out): void {
  const n = P.length;
  const gl = g / n;
  for (let i = 0; i < n; i++) GP[i] = (gl * (P[i] - Y[i])) / Math.max(P[i] * (1 - P[i]), 1e-12);
}

/**
 * BCE targets lie in [0, 1]. A column of whole numbers 0..k beyond that holds class labels:
 * say that CrossEntropy is the loss for them.
 */
export function checkProbabilityTargets(
  loss: string,
  Y: ArrayLike<number>,
  width: number,
): TargetProblem | null {
  const bad = firstOutsideUnit(Y, (v) => `${loss} needs targets between 0 and 1, got ${v}`);
  if (!bad) return null;
  const column = bad.index % width;
  let labels = true,
    max = 0;
  for (let i = column; i < Y.length && labels; i += width) {
    labels = Number.isInteger(Y[i]) && Y[i] >= 0;
    if (Y[i] > max) max = Y[i];
  }
  if (!labels || width !== 1) return bad;
  return {
    index: bad.index,
    message: `${bad.message}: the column holds class labels 0..${max}, which is a job for CrossEntropy (a last Dense of ${max + 1} units, no Sigmoid)`,
  };
}

export const BCE: LossDefinition = {
  type: 'BCE',
  regression: false,
  readout: 'probability',
  guessing: () => ({ loss: Math.LN2, what: 'the probability 0.5 for every sample' }),
  op: bce,
  targetShape: targetsLikeOutput('BCE'),
  outputWidth: widthOfTargets,
  checkTargets: (Y, width) => checkProbabilityTargets('BCE', Y, width),
  scratchSize: () => 0,
  forward: (P, Y) => bceValue(P, Y),
  backward: (P, Y, _S, g, _rows, G) => bceBackward(P, Y, g, G),
};
