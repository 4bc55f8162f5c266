import { type Tensor, formatShape, sameShape } from '../tensor/tensor';
import { LabError } from '../util/errors';

export function sameShapeOrThrow(loss: string, pred: Tensor, target: Tensor): void {
  if (!sameShape(pred.shape, target.shape)) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `${loss}: the network output has shape ${formatShape(pred.shape)} but the targets have ${formatShape(target.shape)}`,
    );
  }
}

export function noTargetGrad(loss: string, target: Tensor): void {
  if (target.requiresGrad)
    throw new LabError('GRADIENT', `${loss}: targets cannot require a gradient`);
}
