import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';

/** tanh(x). Saves its output: tanh′ = 1 − tanh². */
export function tanh(x: Tensor): Tensor {
  const y = new Tensor(allocLike(x, x.size), x.shape.slice());
  tanhForward(x.data, y.data);
  if (tracking(x)) {
    record('tanh', [x], y, [y], ([gy], [s]) => {
      const gx = new Tensor(allocLike(s, s.size), s.shape.slice());
      tanhBackward(gy!.data, s.data, gx.data);
      return [gx];
    });
  }
  return y;
}

export function tanhForward(
  X: ArrayLike<number>,
  Y: { [i: number]: number; length: number },
): void {
  for (let i = 0; i < Y.length; i++) Y[i] = Math.tanh(X[i]);
}

/** GX = G ⊙ (1 − Y²), from the saved output Y. */
export function tanhBackward(
  G: ArrayLike<number>,
  Y: ArrayLike<number>,
  GX: { [i: number]: number; length: number },
): void {
  for (let i = 0; i < GX.length; i++) {
    const v = Y[i];
    GX[i] = G[i] * (1 - v * v);
  }
}
