import type { LossType } from '../losses';
import type { Tensor } from '../tensor/tensor';

/**
 * Number of correct predictions in a batch, or null when the task has no notion of accuracy
 * (regression with MSE). Classes: argmax for CrossEntropy, a 0.5 threshold on probabilities,
 * 0 on logits.
 */
export function countCorrect(
  loss: LossType,
  pred: Tensor,
  target: Tensor,
  classTargets: boolean,
): number | null {
  const P = pred.data,
    T = target.data;
  if (loss === 'CrossEntropy') {
    const [n, k] = pred.shape;
    const oneHot = target.size === P.length;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const want = oneHot ? argmax(T, i * k, k) : T[i];
      if (argmax(P, i * k, k) === want) c++;
    }
    return c;
  }
  if (loss === 'MSE' && !classTargets) return null;
  const cut = loss === 'BCEWithLogits' ? 0 : 0.5;
  const perSample = P.length / pred.shape[0];
  let c = 0;
  for (let i = 0; i < P.length; i++) if (P[i] > cut === T[i] > 0.5) c++;
  return c / perSample;
}

function argmax(d: ArrayLike<number>, off: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (d[off + j] > d[off + best]) best = j;
  return best;
}
