import type { Dataset } from '../dataset';
import { binaryDataset, PATTERN_RADIUS } from './options';
import type { GeneratorOptions } from './options';

/** How many turns each arm makes. */
const TURNS = 1.75;

/**
 * Two interleaved spirals (as in TensorFlow Playground): each arm winds 1.75 turns out to
 * radius 5; class 0 is class 1 turned by half a turn. Jitter σ = 2.5 · noise.
 */
export function spiral(opts: GeneratorOptions): Dataset {
  const sigma = (PATTERN_RADIUS / 2) * opts.noise;
  return binaryDataset('spiral', opts, (rng, cls, index, count) => {
    const f = index / count;
    const r = f * PATTERN_RADIUS;
    const t = TURNS * f * 2 * Math.PI + (cls === 1 ? 0 : Math.PI);
    return [r * Math.sin(t) + sigma * rng.normal(), r * Math.cos(t) + sigma * rng.normal()];
  });
}
