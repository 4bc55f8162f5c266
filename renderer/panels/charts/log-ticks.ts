// Ticks for a loss axis on a log scale that never overlap: round values (powers of ten first,
// then 5 and 2 times them) kept only where they are far enough apart on screen. Chart.js's own
// log ticks crowd a short axis (0.13, 0.16, 0.19) or print its two ends on top of each other
// when the range is narrow (0.63 over 0.624).
import { niceTicks } from '../../lab/draw/ticks';

/**
 * Tick values in [min, max] at least `minGap` pixels apart on an axis `pixels` tall.
 *
 * @example logTicks(0.005, 0.7, 120) // [0.01, 0.1, 0.5]
 */
export function logTicks(min: number, max: number, pixels: number, minGap = 20): number[] {
  if (!(min > 0) || !(max > min) || !Number.isFinite(max)) return min > 0 ? [min] : [];
  const lo = Math.log10(min),
    hi = Math.log10(max);
  const perPixel = (hi - lo) / Math.max(1, pixels);
  const apart = minGap * perPixel;
  const kept: number[] = [];
  const tryAdd = (v: number) => {
    if (v < min || v > max) return;
    const l = Math.log10(v);
    if (kept.every((k) => Math.abs(Math.log10(k) - l) >= apart)) kept.push(v);
  };
  for (const m of [1, 5, 2]) {
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++)
      tryAdd(Number((m * 10 ** e).toPrecision(12)));
  }
  // A narrow range holds no round 1-2-5 value, or one: round values in between, spaced alike.
  if (kept.length < 2) for (const v of niceTicks(min, max, 3)) if (v > 0) tryAdd(v);
  return kept.sort((a, b) => a - b);
}
