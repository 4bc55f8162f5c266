import type { Tensor } from '../tensor/tensor';
import { bce } from './bce';
import { bceWithLogits } from './bce-with-logits';
import { crossEntropy } from './cross-entropy';
import { mse } from './mse';

export const LOSS_TYPES = ['BCE', 'BCEWithLogits', 'MSE', 'CrossEntropy'] as const;
export type LossType = (typeof LOSS_TYPES)[number];

/** Every loss by its project-file name; the type checker keeps this table complete. */
export const LOSSES: Record<LossType, (pred: Tensor, target: Tensor) => Tensor> = {
  BCE: bce,
  BCEWithLogits: bceWithLogits,
  MSE: mse,
  CrossEntropy: crossEntropy,
};

export { bce, bceWithLogits, crossEntropy, mse };
