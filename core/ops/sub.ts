import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { reduceTo, zipWith } from './broadcast';
import { map } from './elementwise';

/** a − b with broadcasting. Saves nothing. */
export function sub(a: Tensor, b: Tensor): Tensor {
  const y = zipWith('sub', a, b, (x, z) => x - z);
  if (tracking(a, b)) {
    record('sub', [a, b], y, [], ([gy], _s, needs) => [
      needs[0] ? reduceTo(gy!, a.shape) : null,
      needs[1]
        ? reduceTo(
            map(gy!, (g) => -g),
            b.shape,
          )
        : null,
    ]);
  }
  return y;
}
