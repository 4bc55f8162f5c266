/**
 * Which samples each batch takes, and the seeds of the training run's generators: the Trainer
 * uses these, and a PyTorch training folder carries the same seeds so that its `train.py`
 * (with a port of core/util/rng.ts) draws the same batch order and the same dropout masks.
 */
import { Rng } from '../util/rng';

/** Mixed into the project's seed for the generator that shuffles the samples every epoch. */
const SHUFFLE_SEED_MIX = 0x5f3759df;
/** Mixed into the project's seed for the generator of dropout masks (and plugins' ctx.rng). */
const DROPOUT_SEED_MIX = 0x2545f491;

/** The seed (an unsigned 32-bit integer) of the generator that shuffles each epoch's samples. */
export function shuffleSeed(seed: number): number {
  return (seed ^ SHUFFLE_SEED_MIX) >>> 0;
}

/** The seed of the generator that dropout draws its masks from while training. */
export function dropoutSeed(seed: number): number {
  return (seed ^ DROPOUT_SEED_MIX) >>> 0;
}

/**
 * One epoch's sample order into `order`: 0..n−1, then a Fisher–Yates shuffle from `rng` when
 * asked (n − 1 draws). Batch k of the epoch takes `order[k·batchSize …]`.
 */
export function fillEpochOrder(order: Int32Array, rng: Rng, shuffle: boolean): Int32Array {
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (shuffle) rng.shuffle(order);
  return order;
}

/** The sample orders of the first `epochs` epochs of a run with this seed (for checks and tests). */
export function epochOrders(
  n: number,
  seed: number,
  shuffle: boolean,
  epochs: number,
): Int32Array[] {
  const rng = new Rng(shuffleSeed(seed));
  return Array.from({ length: epochs }, () => fillEpochOrder(new Int32Array(n), rng, shuffle));
}
