import type { Dataset } from '../dataset';
import { binaryDataset, PATTERN_RADIUS } from './options';
import type { GeneratorOptions } from './options';

/** Centre of the class-1 blob; class 0 sits at the opposite point. */
const CENTER = 2;
/** Spread of each blob without noise. */
const BASE_SIGMA = 0.75;

/**
 * Two Gaussian blobs: class 1 around (2, 2), class 0 around (-2, -2). Each blob has standard
 * deviation 0.75, widened by jitter σ = 2.5 · noise.
 */
export function gauss(opts: GeneratorOptions): Dataset {
  const jitter = (PATTERN_RADIUS / 2) * opts.noise;
  const sigma = Math.sqrt(BASE_SIGMA * BASE_SIGMA + jitter * jitter);
  return binaryDataset('gauss', opts, (rng, cls) => {
    const c = cls === 1 ? CENTER : -CENTER;
    return [c + sigma * rng.normal(), c + sigma * rng.normal()];
  });
}
