import { describe, expect, it } from 'vitest';
import { LossSampler } from '../../../core/train/loss-sampler';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('LossSampler', () => {
  it('keeps every value while there is room', () => {
    const s = new LossSampler(8);
    for (const v of range(8)) s.add(v);
    expect(s.take()).toEqual(range(8));
  });

  it('keeps an evenly spaced sample of a longer stream, never more than its capacity', () => {
    for (const n of [9, 17, 100, 1000, 12_345]) {
      const s = new LossSampler(8);
      for (const v of range(n)) s.add(v);
      const kept = s.take();
      expect(kept.length, `${n} values`).toBeLessThanOrEqual(8);
      expect(kept.length, `${n} values`).toBeGreaterThanOrEqual(4);
      expect(kept[0]).toBe(0);
      const stride = kept[1] - kept[0];
      expect(kept.every((v, i) => v === i * stride)).toBe(true);
      // the sample spans the stream: its last value is within one stride of the end
      expect(n - 1 - kept.at(-1)!).toBeLessThan(stride);
    }
  });

  it('starts afresh after take()', () => {
    const s = new LossSampler(4);
    for (const v of range(100)) s.add(v);
    s.take();
    s.add(7);
    s.add(8);
    expect(s.take()).toEqual([7, 8]);
    expect(s.take()).toEqual([]);
  });
});
