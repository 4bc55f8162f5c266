// The losses the project format knows, each with the one line that says when to use it.
import { LOSS_TYPES, type LossType } from '../../../core/losses';

export const LOSS_INFO: Record<LossType, { label: string; line: string }> = {
  BCE: {
    label: 'Binary cross-entropy',
    line: 'On probabilities: end the network with Sigmoid. L = −y log ŷ − (1−y) log(1−ŷ).',
  },
  BCEWithLogits: {
    label: 'BCE with logits',
    line: 'On raw scores: the sigmoid is built into the loss, which keeps it stable.',
  },
  MSE: {
    label: 'Mean squared error',
    line: 'For numbers (regression): L = mean((ŷ − y)²).',
  },
  CrossEntropy: {
    label: 'Cross-entropy',
    line: 'Several classes: softmax + negative log-likelihood on logits (no Softmax node).',
  },
};

export const LOSS_LIST = LOSS_TYPES.map((type) => ({ type, ...LOSS_INFO[type] }));

/** Compile warnings about the loss and the output node (core/graph/compile checkLoss). */
export function isLossWarning(w: string): boolean {
  return LOSS_TYPES.some((t) => w.startsWith(`${t} expects`));
}
