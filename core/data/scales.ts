/**
 * How far apart the features' scales are, to suggest standardizing in plain words. A feature's
 * scale is its largest |value|; features that are all 0 are left out.
 */
import { formatNumber } from '../util/number-format';

/** Above this ratio between the largest and the smallest feature scale, suggest standardizing. */
export const SCALE_HINT_RATIO = 100;

export interface ScaleSpread {
  /** largest.scale / smallest.scale */
  ratio: number;
  largest: { name: string; scale: number };
  smallest: { name: string; scale: number };
}

/** The spread of the features' scales over rows of `inDim` values, or null with < 2 non-zero features. */
export function scaleSpread(
  x: ArrayLike<number>,
  inDim: number,
  names: readonly string[],
): ScaleSpread | null {
  const scales = new Array<number>(inDim).fill(0);
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > scales[i % inDim]) scales[i % inDim] = a;
  }
  let lo = -1,
    hi = -1;
  scales.forEach((s, j) => {
    if (!(s > 0) || !Number.isFinite(s)) return;
    if (lo < 0 || s < scales[lo]) lo = j;
    if (hi < 0 || s > scales[hi]) hi = j;
  });
  if (lo < 0 || lo === hi) return null;
  const name = (j: number) => names[j] ?? `x${j + 1}`;
  return {
    ratio: scales[hi] / scales[lo],
    largest: { name: name(hi), scale: scales[hi] },
    smallest: { name: name(lo), scale: scales[lo] },
  };
}

/** The suggestion, in plain words, when the scales differ by more than SCALE_HINT_RATIO; else null. */
export function scaleHint(spread: ScaleSpread | null): string | null {
  if (!spread || spread.ratio <= SCALE_HINT_RATIO) return null;
  const { largest, smallest } = spread;
  return (
    `The features have very different sizes: '${largest.name}' goes up to ${plain(largest.scale)}, ` +
    `'${smallest.name}' only up to ${plain(smallest.scale)} (${plain(spread.ratio, 2)} times smaller). ` +
    'A network learns poorly from that, because the big features drown out the small ones. ' +
    'Standardizing rescales every feature to mean 0 and standard deviation 1.'
  );
}

/** 2,501, 0.0311, 80,000: a few significant digits, thousands separated. */
function plain(v: number, digits = 3): string {
  return formatNumber(v, { digits, small: 0, large: Infinity, grouped: true });
}
