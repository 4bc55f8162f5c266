import { describe, expect, it } from 'vitest';
import { classCounts } from '../../../core/data/dataset';
import { GENERATORS } from '../../../core/data/generators/index';
import type { GeneratorName } from '../../../core/data/generators/index';
import { LabError } from '../../../core/util/errors';

const names = Object.keys(GENERATORS) as GeneratorName[];

describe('2-D generators', () => {
  it('are the five the design names', () => {
    expect(names.sort()).toEqual(['circle', 'gauss', 'moons', 'spiral', 'xor']);
  });

  describe.each(names)('%s', (name) => {
    const gen = GENERATORS[name];

    it('makes [n, 2] features and [n, 1] binary labels', () => {
      const ds = gen({ samples: 200, noise: 0.1, seed: 0 });
      expect(ds.name).toBe(name);
      expect([ds.n, ds.inDim, ds.yDim]).toEqual([200, 2, 1]);
      expect(ds.x).toBeInstanceOf(Float32Array);
      expect(ds.x.length).toBe(400);
      expect(ds.y.length).toBe(200);
      expect(ds.featureNames).toEqual(['x1', 'x2']);
      expect(ds.classNames).toEqual(['0', '1']);
      expect(ds.numClasses).toBe(2);
      expect(ds.y.every((v) => v === 0 || v === 1)).toBe(true);
      expect(ds.x.every((v) => Number.isFinite(v) && Math.abs(v) < 8)).toBe(true);
    });

    it('gives the same data bit for bit for the same options', () => {
      const a = gen({ samples: 300, noise: 0.2, seed: 7 });
      const b = gen({ samples: 300, noise: 0.2, seed: 7 });
      expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
      expect(Buffer.from(a.y.buffer).equals(Buffer.from(b.y.buffer))).toBe(true);
    });

    it('gives different data for a different seed or noise', () => {
      const a = gen({ samples: 100, noise: 0.1, seed: 1 });
      expect(gen({ samples: 100, noise: 0.1, seed: 2 }).x).not.toEqual(a.x);
      expect(gen({ samples: 100, noise: 0.3, seed: 1 }).x).not.toEqual(a.x);
    });

    it('balances the classes', () => {
      expect(classCounts(gen({ samples: 200, noise: 0.1, seed: 3 }))).toEqual([100, 100]);
      expect(classCounts(gen({ samples: 201, noise: 0.1, seed: 3 }))).toEqual([101, 100]);
      expect(classCounts(gen({ samples: 1, noise: 0, seed: 3 }))).toEqual([1, 0]);
    });

    it('rejects bad options with a DATA error', () => {
      for (const opts of [
        { samples: 0, noise: 0.1, seed: 0 },
        { samples: 2.5, noise: 0.1, seed: 0 },
        { samples: 10, noise: -1, seed: 0 },
        { samples: 10, noise: NaN, seed: 0 },
        { samples: 10, noise: 0.1, seed: 0.5 },
      ]) {
        expect(() => gen(opts)).toThrow(LabError);
        try {
          gen(opts);
        } catch (e) {
          expect((e as LabError).code).toBe('DATA');
          expect((e as LabError).message).toContain(`builtin:${name}`);
        }
      }
    });
  });

  const at = (x: Float32Array, i: number) => [x[2 * i], x[2 * i + 1]];

  it('xor: label 1 exactly when the coordinates differ in sign (no noise)', () => {
    const ds = GENERATORS.xor({ samples: 500, noise: 0, seed: 4 });
    for (let i = 0; i < ds.n; i++) {
      const [a, b] = at(ds.x, i);
      expect(ds.y[i]).toBe(a * b < 0 ? 1 : 0);
      expect(Math.min(Math.abs(a), Math.abs(b))).toBeGreaterThanOrEqual(0.3 - 1e-6);
    }
  });

  it('circle: label 1 inside radius 2.5, label 0 from 3.5 to 5 (no noise)', () => {
    const ds = GENERATORS.circle({ samples: 500, noise: 0, seed: 5 });
    for (let i = 0; i < ds.n; i++) {
      const r = Math.hypot(...at(ds.x, i));
      if (ds.y[i] === 1) expect(r).toBeLessThanOrEqual(2.5 + 1e-5);
      else expect(r >= 3.5 - 1e-5 && r <= 5 + 1e-5).toBe(true);
    }
  });

  it('gauss: class 1 centred near (2, 2), class 0 near (-2, -2)', () => {
    const ds = GENERATORS.gauss({ samples: 2000, noise: 0.1, seed: 6 });
    const sums = [
      [0, 0],
      [0, 0],
    ];
    for (let i = 0; i < ds.n; i++) {
      const [a, b] = at(ds.x, i);
      sums[ds.y[i]][0] += a / 1000;
      sums[ds.y[i]][1] += b / 1000;
    }
    expect(sums[1][0]).toBeCloseTo(2, 0);
    expect(sums[1][1]).toBeCloseTo(2, 0);
    expect(sums[0][0]).toBeCloseTo(-2, 0);
    expect(sums[0][1]).toBeCloseTo(-2, 0);
  });

  it('spiral: the two arms are point reflections of each other (no noise)', () => {
    const ds = GENERATORS.spiral({ samples: 400, noise: 0, seed: 7 });
    // Samples alternate class 0, class 1 with the same position along the arm.
    for (let i = 0; i + 1 < ds.n; i += 2) {
      const [a0, b0] = at(ds.x, i);
      const [a1, b1] = at(ds.x, i + 1);
      expect(a0).toBeCloseTo(-a1, 5);
      expect(b0).toBeCloseTo(-b1, 5);
    }
    expect(Math.hypot(...at(ds.x, ds.n - 1))).toBeGreaterThan(4.9);
  });

  it('moons: points lie on the two half circles of make_moons (no noise)', () => {
    const ds = GENERATORS.moons({ samples: 100, noise: 0, seed: 8 });
    for (let i = 0; i < ds.n; i++) {
      const [a, b] = at(ds.x, i);
      if (ds.y[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
        expect(b).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 5);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
    // The ends of each arc, as with make_moons' linspace(0, pi).
    expect(at(ds.x, 0)).toEqual([1, 0]);
    expect(at(ds.x, 1)).toEqual([0, 0.5]);
  });

  it('noise widens the jitter', () => {
    const spread = (noise: number) => {
      const clean = GENERATORS.moons({ samples: 1000, noise: 0, seed: 9 });
      const noisy = GENERATORS.moons({ samples: 1000, noise, seed: 9 });
      let s = 0;
      for (let i = 0; i < clean.x.length; i++) s += (noisy.x[i] - clean.x[i]) ** 2;
      return Math.sqrt(s / clean.x.length);
    };
    expect(spread(0.1)).toBeCloseTo(0.1, 1);
    expect(spread(0.3)).toBeCloseTo(0.3, 1);
  });
});
