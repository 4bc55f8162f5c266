import type { Dataset } from '../dataset';
import { binaryDataset } from './options';
import type { GeneratorOptions } from './options';

/**
 * Two moons, laid out like scikit-learn's make_moons: class 0 is the upper half circle of
 * radius 1 around (0, 0), class 1 the lower one around (1, 0.5), points evenly spaced along
 * each arc; x1 in [-1, 2], x2 in [-0.5, 1]. Jitter σ = noise, as in make_moons.
 */
export function moons(opts: GeneratorOptions): Dataset {
  const sigma = opts.noise;
  return binaryDataset('moons', opts, (rng, cls, index, count) => {
    const t = count > 1 ? (Math.PI * index) / (count - 1) : 0;
    const px = cls === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = cls === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    return [px + sigma * rng.normal(), py + sigma * rng.normal()];
  });
}
