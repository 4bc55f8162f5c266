import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';

/** x for x > 0, slope·x otherwise (PyTorch's default slope 0.01). Saves its input. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  const y = new Tensor(allocLike(x, x.size), x.shape.slice());
  leakyReluForward(x.data, y.data, slope);
  if (tracking(x)) {
    record('leakyRelu', [x], y, [x], ([gy], [s]) => {
      const gx = new Tensor(allocLike(s, s.size), s.shape.slice());
      leakyReluBackward(gy!.data, s.data, gx.data, slope);
      return [gx];
    });
  }
  return y;
}

export function leakyReluForward(
  X: ArrayLike<number>,
  Y: { [i: number]: number; length: number },
  slope: number,
): void {
  for (let i = 0; i < Y.length; i++) {
    const v = X[i];
    Y[i] = v > 0 ? v : slope * v;
  }
}

/** From the saved input X. */
export function leakyReluBackward(
  G: ArrayLike<number>,
  X: ArrayLike<number>,
  GX: { [i: number]: number; length: number },
  slope: number,
): void {
  for (let i = 0; i < GX.length; i++) GX[i] = X[i] > 0 ? G[i] : slope * G[i];
}
