import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** Natural logarithm. Saves its input. */
export function log(x: Tensor): Tensor {
  const y = map(x, Math.log);
  if (tracking(x)) record('log', [x], y, [x], ([gy], [s]) => [map2(gy!, s, (g, v) => g / v)]);
  return y;
}
