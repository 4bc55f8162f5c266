import type { Dataset } from '../dataset';
import { binaryDataset, PATTERN_RADIUS } from './options';
import type { GeneratorOptions } from './options';

/**
 * Circle: label 1 inside radius 2.5, label 0 on a ring from 3.5 to 5 around it (as in
 * TensorFlow Playground). Jitter σ = 2.5 · noise.
 */
export function circle(opts: GeneratorOptions): Dataset {
  const sigma = (PATTERN_RADIUS / 2) * opts.noise;
  return binaryDataset('circle', opts, (rng, cls) => {
    const r =
      cls === 1
        ? rng.range(0, PATTERN_RADIUS * 0.5)
        : rng.range(PATTERN_RADIUS * 0.7, PATTERN_RADIUS);
    const angle = rng.range(0, 2 * Math.PI);
    return [r * Math.sin(angle) + sigma * rng.normal(), r * Math.cos(angle) + sigma * rng.normal()];
  });
}
