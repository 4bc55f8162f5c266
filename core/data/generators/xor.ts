import type { Dataset } from '../dataset';
import { binaryDataset, PATTERN_RADIUS } from './options';
import type { GeneratorOptions } from './options';

/** Keeps points this far from the axes, so that without noise the classes do not touch. */
const PADDING = 0.3;

/**
 * XOR: points spread over the four quadrants of [-5.3, 5.3]²; label 1 when the two
 * coordinates have different signs. Jitter σ = 2.5 · noise.
 */
export function xor(opts: GeneratorOptions): Dataset {
  const sigma = (PATTERN_RADIUS / 2) * opts.noise;
  return binaryDataset('xor', opts, (rng, cls) => {
    const sx = rng.uniform() < 0.5 ? -1 : 1;
    const sy = cls === 1 ? -sx : sx;
    const ax = PADDING + rng.range(0, PATTERN_RADIUS);
    const ay = PADDING + rng.range(0, PATTERN_RADIUS);
    return [sx * ax + sigma * rng.normal(), sy * ay + sigma * rng.normal()];
  });
}
