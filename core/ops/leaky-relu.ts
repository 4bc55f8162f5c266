import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map, map2 } from './elementwise';

/** x for x > 0, slope·x otherwise (PyTorch's default slope 0.01). Saves its input. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  const y = map(x, (v) => (v > 0 ? v : slope * v));
  if (tracking(x)) {
    record('leakyRelu', [x], y, [x], ([gy], [s]) => [
      map2(gy!, s, (g, v) => (v > 0 ? g : slope * g)),
    ]);
  }
  return y;
}
