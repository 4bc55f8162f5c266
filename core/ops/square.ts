import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** x². Saves x. */
export function square(x: Tensor): Tensor {
  const y = map(x, (v) => v * v);
  if (tracking(x))
    record('square', [x], y, [x], ([gy], [s]) => [map2(gy!, s, (g, v) => 2 * g * v)]);
  return y;
}
