import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { reduceTo, zipWith } from './broadcast';

/** a + b with broadcasting. Saves nothing: the gradient passes through unchanged. */
export function add(a: Tensor, b: Tensor): Tensor {
  const y = zipWith('add', a, b, (x, z) => x + z);
  if (tracking(a, b)) {
    record('add', [a, b], y, [], ([gy], _s, needs) => [
      needs[0] ? reduceTo(gy!, a.shape) : null,
      needs[1] ? reduceTo(gy!, b.shape) : null,
    ]);
  }
  return y;
}
