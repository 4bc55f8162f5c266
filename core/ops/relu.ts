import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';
import { reluBackwardWasm, reluForwardWasm } from './kernels/vector';

/** max(0, x). Saves its output (positive exactly where the input was). */
export function relu(x: Tensor): Tensor {
  const y = new Tensor(allocLike(x, x.size), x.shape.slice());
  reluForward(x.data, y.data);
  if (tracking(x)) {
    record('relu', [x], y, [y], ([gy], [s]) => {
      const gx = new Tensor(allocLike(s, s.size), s.shape.slice());
      reluBackward(gy!.data, s.data, gx.data);
      return [gx];
    });
  }
  return y;
}

export function reluForward(
  X: ArrayLike<number>,
  Y: { [i: number]: number; length: number },
): void {
  if (reluForwardWasm(X, Y)) return; // the same values, in the kernels' memory
  for (let i = 0; i < Y.length; i++) {
    const v = X[i];
    Y[i] = v > 0 ? v : 0;
  }
}

/** GX = G where the saved output Y is positive, 0 elsewhere. */
export function reluBackward(
  G: ArrayLike<number>,
  Y: ArrayLike<number>,
  GX: { [i: number]: number; length: number },
): void {
  if (reluBackwardWasm(G, Y, GX)) return;
  for (let i = 0; i < GX.length; i++) GX[i] = Y[i] > 0 ? G[i] : 0;
}
