import type { Tensor } from '../tensor/tensor';
import { BCE, bce } from './bce';
import { BCEWithLogits, bceWithLogits } from './bce-with-logits';
import { CrossEntropy, crossEntropy } from './cross-entropy';
import type { LossDefinition } from './definition';
import { MSE, mse } from './mse';

export const LOSS_TYPES = ['BCE', 'BCEWithLogits', 'MSE', 'CrossEntropy'] as const;
export type LossType = (typeof LOSS_TYPES)[number];

/** Every loss's definition by its project-file name; the type checker keeps this table complete. */
export const LOSS_DEFINITIONS: Record<LossType, LossDefinition> = {
  BCE,
  BCEWithLogits,
  MSE,
  CrossEntropy,
};

/** Every loss's tape op by its project-file name (the `op` of its definition). */
export const LOSSES: Record<LossType, (pred: Tensor, target: Tensor) => Tensor> = {
  BCE: BCE.op,
  BCEWithLogits: BCEWithLogits.op,
  MSE: MSE.op,
  CrossEntropy: CrossEntropy.op,
};

export type { LossDefinition, TargetColumns, TargetProblem } from './definition';
export { bce, bceWithLogits, crossEntropy, mse };
