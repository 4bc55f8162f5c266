import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** max(0, x). Saves its output (positive exactly where the input was). */
export function relu(x: Tensor): Tensor {
  const y = map(x, (v) => (v > 0 ? v : 0));
  if (tracking(x))
    record('relu', [x], y, [y], ([gy], [s]) => [map2(gy!, s, (g, v) => (v > 0 ? g : 0))]);
  return y;
}
