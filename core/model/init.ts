import type { InitSpec } from '../layers/contract';
import type { TensorData } from '../tensor/tensor';
import type { Rng } from '../util/rng';

/** Fill a fresh weight buffer as its spec asks, drawing from the model's seeded generator. */
export function initWeight(data: TensorData, init: InitSpec | undefined, rng: Rng): void {
  const spec = init ?? 'zeros';
  if (typeof spec === 'number') return void data.fill(spec);
  if (spec === 'zeros') return void data.fill(0);
  if (spec === 'ones') return void data.fill(1);
  if (spec === 'uniform') return fill(data, () => rng.range(-1, 1));
  if (spec === 'normal') return fill(data, () => rng.normal());
  if ('uniform' in spec) {
    const [lo, hi] = spec.uniform;
    return fill(data, () => rng.range(lo, hi));
  }
  const [mean, std] = spec.normal;
  fill(data, () => mean + std * rng.normal());
}

function fill(data: TensorData, f: () => number): void {
  for (let i = 0; i < data.length; i++) data[i] = f();
}
