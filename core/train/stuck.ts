/**
 * A run that stopped learning where it is worse than guessing: its loss has stayed above what
 * guessing the same for every sample gives (the loss definition's `guessing`) and no longer
 * moves. Nothing is non-finite, so the divergence check (divergence.ts) says nothing, yet the run
 * will not recover: the gradient that reaches the weights is (near) zero. Both conditions must
 * hold, so a run that is still moving, or is better than guessing, is never flagged.
 */
import { fmtValue } from './divergence';

/** Epochs the loss must have stayed put for. */
export const STUCK_EPOCHS = 10;
/** How far above guessing the loss must stay: twice its loss. */
const ABOVE_GUESSING = 2;
/** "Stays put": the last epochs' losses lie within this share of their largest. */
const STILL = 1e-3;

export interface Guess {
  loss: number;
  what: string;
}

/**
 * What to tell the user when the per-epoch losses (oldest first) show a run that is stuck worse
 * than guessing, or null. `restart` says how to start over where the user is ('then Reset and
 * train again' in the app).
 */
export function stuckAdvice(
  losses: readonly number[],
  guess: Guess | null,
  lr: number,
  restart: string,
): string | null {
  if (!guess || losses.length < STUCK_EPOCHS) return null;
  const last = losses.slice(-STUCK_EPOCHS);
  const lo = Math.min(...last),
    hi = Math.max(...last);
  if (!Number.isFinite(hi) || lo < ABOVE_GUESSING * guess.loss || hi - lo > STILL * hi) return null;
  return (
    `The loss has stayed at ${fmtValue(last[last.length - 1]!)} for ` +
    `${STUCK_EPOCHS} epochs, worse than guessing (${fmtValue(guess.loss)}, ` +
    `the loss of ${guess.what}), and no longer moves: almost no gradient reaches the weights. Steps that ` +
    `are too large push units to where their slope is zero (a saturated sigmoid or tanh, a ReLU ` +
    `that is off for every sample), and there they stay. Try a smaller learning rate (now ` +
    `${fmtValue(lr)}), ${restart}.`
  );
}
