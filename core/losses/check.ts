import { type Tensor, formatShape, sameShape, sizeOf } from '../tensor/tensor';
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

/** targetShape for losses whose targets have the output's shape (BCE, BCEWithLogits, MSE). */
export function targetsLikeOutput(loss: string) {
  return (outShape: readonly number[], { yDim }: { yDim: number }, output: string) => {
    const size = sizeOf(outShape);
    if (yDim !== size) {
      return `the output node '${output}' gives ${size} value${size === 1 ? '' : 's'} per sample but the data has ${yDim} target column${yDim === 1 ? '' : 's'} for ${loss}`;
    }
    return (b: number) => [b, ...outShape];
  };
}

/** outputWidth for losses whose targets have the output's shape: one value per target column. */
export function widthOfTargets({ yDim }: { yDim: number }): { width: number; what: string } {
  return { width: yDim, what: `the data's ${yDim} target column${yDim === 1 ? '' : 's'}` };
}
