/**
 * What every 2-D generator shares: its options, their checks, and the code that lays out a
 * balanced two-class data set (samples alternate between class 0 and class 1).
 */
import type { Dataset } from '../dataset';
import { LabError } from '../../util/errors';
import { Rng } from '../../util/rng';

export interface GeneratorOptions {
  /** Number of samples; the two classes differ in size by at most one. */
  samples: number;
  /** Gaussian jitter, relative to the pattern's size (each generator says how). */
  noise: number;
  /** Same seed, same data, bit for bit. */
  seed: number;
}

export type Generator = (opts: GeneratorOptions) => Dataset;

/** The most samples a generator makes (a guard against a typo eating all memory). */
export const MAX_SAMPLES = 1_000_000;

/** Points of the playground-like patterns reach about this radius. */
export const PATTERN_RADIUS = 5;

/** One point of class `cls`: `index` counts the points of that class, `count` is their number. */
export type PointMaker = (rng: Rng, cls: 0 | 1, index: number, count: number) => [number, number];

/** Checks the options and builds a balanced binary data set from `makePoint`. */
export function binaryDataset(
  name: string,
  opts: GeneratorOptions,
  makePoint: PointMaker,
): Dataset {
  checkOptions(name, opts);
  const n = opts.samples;
  const counts = [Math.ceil(n / 2), Math.floor(n / 2)];
  // Salted so that data drawn with the training seed is not correlated with the split or init.
  const rng = new Rng((opts.seed ^ 0x0da7a5e7) >>> 0);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const cls = (s % 2) as 0 | 1;
    const [px, py] = makePoint(rng, cls, s >> 1, counts[cls]);
    x[2 * s] = px;
    x[2 * s + 1] = py;
    y[s] = cls;
  }
  return {
    name,
    n,
    inDim: 2,
    yDim: 1,
    x,
    y,
    featureNames: ['x1', 'x2'],
    targetNames: ['label'],
    classNames: ['0', '1'],
    numClasses: 2,
  };
}

function checkOptions(name: string, opts: GeneratorOptions): void {
  const { samples, noise, seed } = opts;
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_SAMPLES) {
    throw new LabError(
      'DATA',
      `builtin:${name}: samples must be a whole number from 1 to ${MAX_SAMPLES}, got ${samples}`,
      { path: 'data.samples' },
    );
  }
  if (!Number.isFinite(noise) || noise < 0) {
    throw new LabError('DATA', `builtin:${name}: noise must be 0 or more, got ${noise}`, {
      path: 'data.noise',
    });
  }
  if (!Number.isInteger(seed)) {
    throw new LabError('DATA', `builtin:${name}: seed must be a whole number, got ${seed}`, {
      path: 'data.seed',
    });
  }
}
