// Colour scales of the Lab views: diverging by sign (the app's --pos blue and --neg red around
// a near-white zero), and a categorical palette for classes.
export type Rgb = [number, number, number];

export const POS: Rgb = [61, 99, 221]; // --pos #3d63dd
export const NEG: Rgb = [217, 45, 32]; // --neg #d92d20
const ZERO: Rgb = [246, 247, 249]; // --bg

/** Ten distinguishable class colours (class 0 and 1 are the app's red and blue). */
export const CLASS_COLORS: Rgb[] = [
  NEG,
  POS,
  [6, 118, 71],
  [181, 71, 8],
  [122, 90, 248],
  [14, 147, 132],
  [221, 37, 144],
  [102, 112, 133],
  [202, 133, 4],
  [21, 112, 239],
];

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** v in [−max, max] → red … near-white … blue; a perceptual ease so small values still show. */
export function diverging(v: number, max: number): Rgb {
  if (!Number.isFinite(v) || max <= 0) return ZERO;
  const t = Math.max(-1, Math.min(1, v / max));
  const s = Math.sqrt(Math.abs(t));
  return mix(ZERO, t < 0 ? NEG : POS, s);
}

/** t in [0, 1] → class-0 red … near-white … class-1 blue (a probability of class 1). */
export function probability(t: number): Rgb {
  return diverging(2 * t - 1, 1);
}

export function classColor(k: number): Rgb {
  return CLASS_COLORS[((k % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

/** A class colour faded towards white by confidence: 1/k (a toss-up) is palest. */
export function classShade(k: number, confidence: number, classes: number): Rgb {
  const floor = 1 / Math.max(2, classes);
  const t = Math.max(0, Math.min(1, (confidence - floor) / (1 - floor)));
  return mix(ZERO, classColor(k), 0.12 + 0.5 * t);
}

export function css(c: Rgb, alpha = 1): string {
  const [r, g, b] = c.map((x) => Math.round(x));
  return alpha >= 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}

/** The largest |v|, at least `floor` (so an all-zero block still has a scale). */
export function absMax(data: ArrayLike<number>, floor = 1e-12): number {
  let m = floor;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}

/** 512 steps of the diverging scale, as RGBA bytes, for filling pixels fast. */
const LUT_STEPS = 512;
let lut: Uint8ClampedArray | null = null;

function divergingLut(): Uint8ClampedArray {
  if (lut) return lut;
  lut = new Uint8ClampedArray((LUT_STEPS + 1) * 4);
  for (let i = 0; i <= LUT_STEPS; i++) {
    const [r, g, b] = diverging((2 * i) / LUT_STEPS - 1, 1);
    lut.set([r, g, b, 255], i * 4);
  }
  return lut;
}

/** Write the diverging colour of every value (scaled by max) into RGBA pixels. */
export function fillDiverging(
  values: ArrayLike<number>,
  max: number,
  out: Uint8ClampedArray,
): void {
  const table = divergingLut();
  const k = max > 0 ? LUT_STEPS / (2 * max) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let j = Number.isFinite(v) ? Math.round((v + max) * k) : LUT_STEPS / 2;
    if (j < 0) j = 0;
    else if (j > LUT_STEPS) j = LUT_STEPS;
    out[4 * i] = table[4 * j];
    out[4 * i + 1] = table[4 * j + 1];
    out[4 * i + 2] = table[4 * j + 2];
    out[4 * i + 3] = 255;
  }
}
