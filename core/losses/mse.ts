import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import type { Out } from '../ops/kernels/types';
import { sameShapeOrThrow, targetsLikeOutput, widthOfTargets } from './check';
import type { LossDefinition } from './definition';

/** Mean squared error over all values: L = mean((ŷ − y)²). Saves ŷ − y. */
export function mse(pred: Tensor, y: Tensor): Tensor {
  sameShapeOrThrow('MSE', pred, y);
  const P = pred.data,
    Y = y.data,
    n = P.length;
  const D = allocLike(pred, n);
  const out = allocLike(pred, 1);
  out[0] = mseForward(P, Y, D);
  const loss = new Tensor(out, []);
  if (tracking(pred, y)) {
    const diff = new Tensor(D, pred.shape.slice());
    record('MSE', [pred, y], loss, [diff], ([g], [sd], needs) => {
      const gp = allocLike(sd.data, n);
      mseBackward(sd.data, g!.data[0], gp);
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

/** The mean loss; D receives ŷ − y, which is all backward needs. */
export function mseForward(P: ArrayLike<number>, Y: ArrayLike<number>, D: Out): number {
  const n = P.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = P[i] - Y[i];
    D[i] = d;
    s += d * d;
  }
  return s / n;
}

/** ∂L/∂ŷ = 2g(ŷ − y)/n from the saved difference D. */
export function mseBackward(D: ArrayLike<number>, g: number, GP: Out): void {
  const k = (2 * g) / D.length;
  for (let i = 0; i < D.length; i++) GP[i] = k * D[i];
}

export const MSE: LossDefinition = {
  type: 'MSE',
  regression: true,
  readout: 'value',
  guessing: () => null, // the mean target's loss is the targets' variance: it depends on the data
  op: mse,
  targetShape: targetsLikeOutput('MSE'),
  outputWidth: widthOfTargets,
  checkTargets: () => null, // any finite number is a regression target
  scratchSize: (size) => size,
  forward: (P, Y, S) => mseForward(P, Y, S),
  backward: (_P, _Y, S, g, _rows, G) => mseBackward(S, g, G),
};
