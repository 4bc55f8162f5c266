// What each loss figure on screen is computed on: the toolbar, the charts, Forward & δ and Step
// by step each show an L, on different samples; their labels and cards say which.

/** The toolbar's loss: the last batch the run trained on. */
export function lastBatchLoss(batch: number | null): string {
  return batch ? `L of the last batch trained (${batch} samples)` : 'L of the last batch trained';
}

/** The loss chart's two curves and the batch sparkline. */
export const CHART_LOSS = {
  train: 'train: mean L over each epoch’s training batches, as they were trained',
  test: 'test: mean L over the test split, after each epoch',
  batch: 'L of each training batch, as it was trained',
} as const;

/** Forward & δ and Step by step: the first n training samples, as one batch. */
export function firstSamplesLoss(n: number): string {
  return `the mean loss over the first ${n} training samples`;
}

/** One sample's own loss, `s` 1-based. */
export function sampleLoss(s: number): string {
  return `L of sample ${s}`;
}
