import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { reduceTo, zipWith } from './broadcast';

/** a / b with broadcasting. Saves b, and a too when b needs a gradient. */
export function div(a: Tensor, b: Tensor): Tensor {
  const y = zipWith('div', a, b, (x, z) => x / z);
  if (tracking(a, b)) {
    const needB = b.requiresGrad;
    const aShape = a.shape,
      bShape = b.shape;
    // b is kept for both gradients, a only for b's.
    const saved = needB ? { tensors: [b, a], serves: [[0, 1], [1]] } : [b];
    record('div', [a, b], y, saved, ([gy], s, needs) => {
      const [sb, sa] = s;
      // ∂(a/b)/∂b = −a / b²
      const gb = needB
        ? zipWith(
            'div',
            zipWith('mul', gy!, sa, (g, x) => -g * x),
            sb,
            (g, z) => g / (z * z),
          )
        : null;
      return [
        needs[0]
          ? reduceTo(
              zipWith('div', gy!, sb, (g, z) => g / z),
              aShape,
            )
          : null,
        gb ? reduceTo(gb, bShape) : null,
      ];
    });
  }
  return y;
}
