import { record, tracking } from '../autograd/record';
import { Tensor, allocLike } from '../tensor/tensor';

/** σ(x) = 1 / (1 + e⁻ˣ). Saves its output: σ′ = σ(1 − σ). */
export function sigmoid(x: Tensor): Tensor {
  const y = new Tensor(allocLike(x, x.size), x.shape.slice());
  sigmoidForward(x.data, y.data);
  if (tracking(x)) {
    record('sigmoid', [x], y, [y], ([gy], [s]) => {
      const gx = new Tensor(allocLike(s, s.size), s.shape.slice());
      sigmoidBackward(gy!.data, s.data, gx.data);
      return [gx];
    });
  }
  return y;
}

export function sigmoidScalar(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

/** Y = σ(X) (the kernel the op and the fused training plan share). */
export function sigmoidForward(
  X: ArrayLike<number>,
  Y: { [i: number]: number; length: number },
): void {
  for (let i = 0; i < Y.length; i++) Y[i] = sigmoidScalar(X[i]);
}

/** GX = G ⊙ Y ⊙ (1 − Y), from the saved output Y. */
export function sigmoidBackward(
  G: ArrayLike<number>,
  Y: ArrayLike<number>,
  GX: { [i: number]: number; length: number },
): void {
  for (let i = 0; i < GX.length; i++) {
    const v = Y[i];
    GX[i] = G[i] * v * (1 - v);
  }
}
