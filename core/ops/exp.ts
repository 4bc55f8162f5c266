import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** eˣ. Saves its output (the derivative is the output itself). */
export function exp(x: Tensor): Tensor {
  const y = map(x, Math.exp);
  if (tracking(x)) record('exp', [x], y, [y], ([gy], [s]) => [map2(gy!, s, (g, e) => g * e)]);
  return y;
}
