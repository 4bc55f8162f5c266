import { describe, expect, it } from 'vitest';
import { logTicks } from '../../../../renderer/panels/charts/log-ticks';

/** The smallest distance between two ticks, in pixels, on an axis `pixels` tall. */
function minGap(ticks: number[], min: number, max: number, pixels: number): number {
  const px = (v: number) => ((Math.log10(v) - Math.log10(min)) / Math.log10(max / min)) * pixels;
  return Math.min(...ticks.slice(1).map((t, i) => px(t) - px(ticks[i])));
}

describe('log-scale ticks for the loss chart', () => {
  it('keeps round values far enough apart on a short axis (no 0.13 / 0.16 / 0.19)', () => {
    const t = logTicks(0.13, 0.7, 100);
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(minGap(t, 0.13, 0.7, 100)).toBeGreaterThanOrEqual(20);
    for (const v of t)
      expect([1, 2, 5]).toContain(Number((v / 10 ** Math.floor(Math.log10(v))).toPrecision(3)));
  });

  it('prefers powers of ten over a wide range', () => {
    expect(logTicks(0.005, 0.7, 120)).toEqual([0.01, 0.1, 0.5]);
    expect(logTicks(1e-5, 0.7, 80)).toEqual([1e-5, 0.001, 0.1]);
    expect(logTicks(1e-5, 0.7, 200)).toEqual([1e-5, 1e-4, 0.001, 0.01, 0.1, 0.5]);
  });

  it('gives a narrow range (0.624 … 0.63) round values in between, never its two ends on top of each other', () => {
    const t = logTicks(0.624, 0.63, 100);
    expect(t).toEqual([0.624, 0.626, 0.628, 0.63]);
    expect(minGap(t, 0.624, 0.63, 100)).toBeGreaterThanOrEqual(20);
  });

  it('copes with a flat or empty range', () => {
    expect(logTicks(0.5, 0.5, 100)).toEqual([0.5]);
    expect(logTicks(0, 1, 100)).toEqual([]);
  });
});
