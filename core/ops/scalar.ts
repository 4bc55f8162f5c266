import { record, tracking } from '../autograd/record';
import type { Tensor } from '../tensor/tensor';
import { map } from './elementwise';

/** x · c for a number c. Saves nothing. */
export function scale(x: Tensor, c: number): Tensor {
  const y = map(x, (v) => v * c);
  if (tracking(x)) record('scale', [x], y, [], ([gy]) => [map(gy!, (g) => g * c)]);
  return y;
}

/** x + c for a number c. Saves nothing. */
export function addScalar(x: Tensor, c: number): Tensor {
  const y = map(x, (v) => v + c);
  if (tracking(x)) record('addScalar', [x], y, [], ([gy]) => [gy]);
  return y;
}

/** −x. Saves nothing. */
export function neg(x: Tensor): Tensor {
  return scale(x, -1);
}
