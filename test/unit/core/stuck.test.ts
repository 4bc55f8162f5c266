import { describe, expect, it } from 'vitest';
import { LOSS_DEFINITIONS } from '../../../core/losses';
import { STUCK_EPOCHS, stuckAdvice } from '../../../core/train/stuck';

const AGAIN = 'then Reset and train again';
const bce = LOSS_DEFINITIONS.BCE.guessing(1);
const flat = (v: number, n = STUCK_EPOCHS) => Array.from({ length: n }, () => v);

describe('what guessing the same for every sample costs, on each loss definition', () => {
  it('BCE and BCE with logits: ln 2, the probability 0.5', () => {
    expect(bce).toEqual({ loss: Math.LN2, what: 'the probability 0.5 for every sample' });
    expect(LOSS_DEFINITIONS.BCEWithLogits.guessing(3)?.loss).toBe(Math.LN2);
  });
  it('cross-entropy: ln of the class count; none for a single output', () => {
    expect(LOSS_DEFINITIONS.CrossEntropy.guessing(10)?.loss).toBeCloseTo(2.302585, 6);
    expect(LOSS_DEFINITIONS.CrossEntropy.guessing(1)).toBeNull();
  });
  it('MSE: none (it depends on the targets)', () => {
    expect(LOSS_DEFINITIONS.MSE.guessing(1)).toBeNull();
  });
});

describe('stuckAdvice: a loss that stays put worse than guessing', () => {
  it('names the loss, the guess and the learning rate (XOR at lr 1e6: 48.75 for good)', () => {
    const advice = stuckAdvice([41.95, ...flat(48.75, 20)], bce, 1e6, AGAIN);
    expect(advice).toBe(
      'The loss has stayed at 48.75 for 10 epochs, worse than guessing (0.6931, the loss of the probability 0.5 for every sample), and no longer moves: almost no gradient reaches the weights. Steps that are too large push units to where their slope is zero (a saturated sigmoid or tanh, a ReLU that is off for every sample), and there they stay. Try a smaller learning rate (now 1e+6), then Reset and train again.',
    );
  });
  it('counts a loss that still creeps by less than 0.1 % as stuck (lr 20: 26.8755 … 26.8752)', () => {
    const creeping = [
      26.875462, 26.875293, 26.875235, 26.875203, 26.875184, 26.87517, 26.87516, 26.87515, 26.87514,
      26.87513,
    ];
    expect(stuckAdvice(creeping, bce, 20, AGAIN)).toContain('stayed at 26.88 for 10 epochs');
  });
  it('says nothing while the loss still moves, even far above guessing', () => {
    const bouncing = [23.6, 17.9, 11.1, 29.0, 18.5, 7.16, 21.7, 22.9, 28.5, 26.9];
    expect(stuckAdvice(bouncing, bce, 20, AGAIN)).toBeNull();
  });
  it('says nothing for a run that settled better than guessing, or not far above it', () => {
    expect(stuckAdvice(flat(0.0003), bce, 0.5, AGAIN)).toBeNull();
    expect(stuckAdvice(flat(0.69), bce, 0.5, AGAIN)).toBeNull(); // a network that learned nothing, but no worse
    expect(stuckAdvice(flat(1.3), bce, 0.5, AGAIN)).toBeNull(); // below twice ln 2
  });
  it('needs ten epochs, a guess to compare with and finite losses', () => {
    expect(stuckAdvice(flat(48.75, STUCK_EPOCHS - 1), bce, 1e6, AGAIN)).toBeNull();
    expect(stuckAdvice(flat(48.75), null, 1e6, AGAIN)).toBeNull();
    expect(stuckAdvice([...flat(48.75, 9), Infinity], bce, 1e6, AGAIN)).toBeNull();
    expect(stuckAdvice([...flat(48.75, 9), NaN], bce, 1e6, AGAIN)).toBeNull();
  });
});
