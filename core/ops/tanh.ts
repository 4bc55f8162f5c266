import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** tanh(x). Saves its output: tanh′ = 1 − tanh². */
export function tanh(x: Tensor): Tensor {
  const y = map(x, Math.tanh);
  if (tracking(x)) {
    record('tanh', [x], y, [y], ([gy], [s]) => [map2(gy!, s, (g, v) => g * (1 - v * v))]);
  }
  return y;
}
