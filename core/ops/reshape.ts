import { record, tracking } from '../autograd/record';
import { Tensor, formatShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';

/** The same values under another shape (one dimension may be −1). Shares the buffer; saves nothing. */
export function reshape(x: Tensor, shape: number[]): Tensor {
  const target = shape.slice();
  const free = target.indexOf(-1);
  if (free >= 0) target[free] = x.size / -sizeOf(target);
  if (sizeOf(target) !== x.size || !target.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `reshape: cannot view ${formatShape(x.shape)} as ${formatShape(shape)}`,
    );
  }
  const y = new Tensor(x.data, target);
  if (tracking(x)) {
    const inShape = x.shape;
    record('reshape', [x], y, [], ([gy]) => [new Tensor(gy!.data, inShape.slice())]);
  }
  return y;
}
