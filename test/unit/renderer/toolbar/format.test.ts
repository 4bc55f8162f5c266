import { describe, expect, it } from 'vitest';
import {
  formatLoss,
  formatPercent,
  formatPosition,
  formatRate,
  formatSpeed,
} from '../../../../renderer/toolbar/format';

describe('toolbar number formats', () => {
  it('writes losses with four significant digits, tiny ones as exponents', () => {
    expect(formatLoss(0.0421337)).toBe('0.04213');
    expect(formatLoss(1.23456)).toBe('1.235');
    expect(formatLoss(0.000012345)).toBe('1.23e-5');
    expect(formatLoss(0)).toBe('0.000');
    expect(formatLoss(null)).toBe('—');
    expect(formatLoss(Infinity)).toBe('Infinity');
  });

  it('writes rates and percentages compactly', () => {
    expect(formatRate(950.4)).toBe('950');
    expect(formatRate(12_345)).toBe('12.3k');
    expect(formatRate(2_500)).toBe('2.5k');
    expect(formatRate(2_600_000)).toBe('2.6M');
    expect(formatRate(0)).toBe('—');
    expect(formatPercent(0.9731)).toBe('97.3%');
    expect(formatPercent(null)).toBe('—');
  });

  it('writes where a run is as one counter, and the speed', () => {
    expect(formatPosition({ epoch: 0, batch: 0, batchesPerEpoch: 10 })).toBe('epoch 0');
    expect(formatPosition({ epoch: 1, batch: 3, batchesPerEpoch: 10 })).toBe(
      'epoch 1 · batch 3/10',
    );
    expect(formatPosition({ epoch: 7, batch: 1, batchesPerEpoch: 1 })).toBe('epoch 7');
    expect(formatPosition({ epoch: 7, batch: 10, batchesPerEpoch: 10 })).toBe('epoch 7');
    expect(formatSpeed(1)).toBe('1 step/s');
    expect(formatSpeed(30)).toBe('30 steps/s');
    expect(formatSpeed(null)).toBe('full speed');
  });
});
