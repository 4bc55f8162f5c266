import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { reduceTo, zipWith } from './broadcast';

/** a ⊙ b with broadcasting. Saves each operand only if the other one needs a gradient. */
export function mul(a: Tensor, b: Tensor): Tensor {
  const y = zipWith('mul', a, b, (x, z) => x * z);
  if (tracking(a, b)) {
    const needA = a.requiresGrad,
      needB = b.requiresGrad;
    const aShape = a.shape,
      bShape = b.shape;
    // saved = [b] when only a needs a gradient, [a] when only b does, [a, b] when both do.
    const saved =
      needA && needB
        ? { tensors: [a, b], serves: [[1], [0]] }
        : needA
          ? { tensors: [b], serves: [[0]] }
          : { tensors: [a], serves: [[1]] };
    record('mul', [a, b], y, saved, ([gy], s) => {
      const sa = needB ? s[0] : null;
      const sb = needA ? s[needB ? 1 : 0] : null;
      return [
        sb
          ? reduceTo(
              zipWith('mul', gy!, sb, (g, z) => g * z),
              aShape,
            )
          : null,
        sa
          ? reduceTo(
              zipWith('mul', gy!, sa, (g, x) => g * x),
              bShape,
            )
          : null,
      ];
    });
  }
  return y;
}
