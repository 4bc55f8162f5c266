// lab_rng.py, the training folder's port of core/util/rng.ts, draws what the engine draws:
// the same 32-bit integers, uniforms, integers and shuffled epoch orders, seed for seed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_RNG_PY } from '../../../core/export/training-folder/lab-rng-py';
import { epochOrders, shuffleSeed, dropoutSeed } from '../../../core/train/sample-order';
import { Rng } from '../../../core/util/rng';
import { tempDir } from '../cli/run-bin';
import { PYTHON } from './folder-runs';

const DRIVER = fileURLToPath(new URL('./rng_outputs.py', import.meta.url));
const tmp = tempDir('backprop-lab-rng-');
afterAll(() => tmp.cleanup());

// Seeds at the edges of 32 bits, negative ones, ones past 2³² and the seeds training derives.
const SEEDS = [
  0,
  1,
  42,
  -1,
  -123456789,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32 + 5,
  2 ** 53 - 1,
  shuffleSeed(42),
  dropoutSeed(7),
];
const COUNT = 2000;
const N = 37;
const EPOCHS = 3;

describe('lab_rng.py, the Python port of the engine’s generator', () => {
  tmp.file('lab_rng.py', LAB_RNG_PY);
  const request = JSON.stringify({ seeds: SEEDS, count: COUNT, n: N, epochs: EPOCHS });
  // Plain Python: the port needs neither torch nor numpy.
  const py = spawnSync(PYTHON, [DRIVER, tmp.dir, request], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const results = py.status === 0 ? (JSON.parse(py.stdout) as PortResult[]) : [];

  it('runs', () => {
    expect(py.status, py.stderr).toBe(0);
    expect(results).toHaveLength(SEEDS.length);
  });

  SEEDS.forEach((seed, s) => {
    it(`seed ${seed}: the same integers, uniforms, int(7) draws and epoch orders`, () => {
      const r = results[s];
      const ints = new Rng(seed);
      const want = Array.from({ length: COUNT }, () => ints.nextUint32());
      expect(r.uint32s).toEqual(want);
      expect(r.singles).toEqual(want);
      const u = new Rng(seed);
      expect(r.uniforms).toEqual(Array.from({ length: COUNT }, () => u.uniform()));
      const k = new Rng(seed);
      expect(r.ints).toEqual(Array.from({ length: COUNT }, () => k.int(7)));
      // epochOrders derives the shuffle generator from a project seed; here the seed is the
      // generator's own, so build it directly as the Trainer does.
      const o = new Rng(seed);
      const orders = Array.from({ length: EPOCHS }, () => {
        const order = Int32Array.from({ length: N }, (_, i) => i);
        o.shuffle(order);
        return Array.from(order);
      });
      expect(r.orders).toEqual(orders);
    });
  });

  it('epochOrders is what the Trainer shuffles with: seeded by shuffleSeed, one shuffle per epoch', () => {
    const direct = new Rng(shuffleSeed(42));
    const first = Int32Array.from({ length: N }, (_, i) => i);
    direct.shuffle(first);
    expect(Array.from(epochOrders(N, 42, true, 2)[0])).toEqual(Array.from(first));
    expect(Array.from(epochOrders(N, 42, false, 1)[0])).toEqual(
      Array.from({ length: N }, (_, i) => i),
    );
  });
});

interface PortResult {
  uint32s: number[];
  singles: number[];
  uniforms: number[];
  ints: number[];
  orders: number[][];
}
