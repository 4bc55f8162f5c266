import { describe, expect, it } from 'vitest';
import { scaleHint, scaleSpread } from '../../../core/data/scales';

describe('the features’ scale spread', () => {
  it('is the largest |value| of the biggest feature over that of the smallest', () => {
    // rows of [tiny, huge, zero]: the all-zero feature is left out.
    const x = [0.001, -4000, 0, -0.002, 2500, 0];
    const s = scaleSpread(x, 3, ['ratio', 'area', 'flag'])!;
    expect(s.largest).toEqual({ name: 'area', scale: 4000 });
    expect(s.smallest).toEqual({ name: 'ratio', scale: 0.002 });
    expect(s.ratio).toBe(2e6);
  });

  it('says nothing below 100×, and nothing with fewer than two live features', () => {
    expect(scaleHint(scaleSpread([1, 100, 2, 50], 2, ['a', 'b']))).toBeNull();
    expect(scaleSpread([0, 5, 0, 3], 2, ['a', 'b'])).toBeNull();
    expect(scaleHint(scaleSpread([1, 100.5], 2, ['a', 'b']))).toMatch(/100 times smaller/);
  });

  it('in plain words, with the two features named', () => {
    expect(scaleHint(scaleSpread([0.0298, 4250], 2, ['fractal', 'area']))).toBe(
      "The features have very different sizes: 'area' goes up to 4,250, 'fractal' only up to 0.0298 (140,000 times smaller). A network learns poorly from that, because the big features drown out the small ones. Standardizing rescales every feature to mean 0 and standard deviation 1.",
    );
  });
});
