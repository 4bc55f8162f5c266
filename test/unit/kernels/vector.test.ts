// The elementwise kernels (wasm/vector.wat) against the TypeScript loops they stand in for:
// the same bits, special values included, on arrays in the kernels' memory vs ordinary ones.
import { describe, expect, it } from 'vitest';
import { biasGrad, linearForward } from '../../../core/ops/linear';
import { reluBackward, reluForward } from '../../../core/ops/relu';
import { kernelFloats, residentOffset } from '../../../core/ops/kernels/resident';
import {
  adamWasm,
  addBiasWasm,
  anyNonFiniteWasm,
  columnSumsWasm,
  reluBackwardWasm,
  reluForwardWasm,
  sgdMomentumWasm,
  sgdWasm,
} from '../../../core/ops/kernels/vector';
import { Adam } from '../../../core/optim/adam';
import { Sgd } from '../../../core/optim/sgd';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';

const rng = new Rng(7);
const SPECIAL = [
  0,
  -0,
  1,
  -1,
  NaN,
  Infinity,
  -Infinity,
  1e-45,
  -1e-45,
  1e-38,
  3.4e38,
  -3.4e38,
  0.5,
];

/** n values: random normals, scaled widely, with special values sprinkled in. */
function values(n: number): Float32Array {
  const x = Float32Array.from({ length: n }, () => rng.normal() * 10 ** rng.range(-8, 8));
  for (let i = 0; i < n; i += 7) x[i] = SPECIAL[(i / 7) % SPECIAL.length];
  return x;
}

/** The same values in the kernels' memory. */
function resident(x: Float32Array): Float32Array {
  const r = kernelFloats(x.length);
  expect(residentOffset(r)).toBeGreaterThan(0);
  r.set(x);
  return r;
}

/** Bit for bit (any NaN matches any NaN). */
function expectSameBits(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (ua[i] !== ub[i]) throw new Error(`at ${i}: ${a[i]} vs ${b[i]}`);
  }
}

// lengths around the kernels' 4-value blocks, above vector.ts's minimum length
const LENGTHS = [64, 65, 66, 67, 1001];

describe('elementwise kernels give the TypeScript loops’ bits', () => {
  it('run on resident arrays (so the comparisons below compare two paths) and only there', () => {
    const r = () => kernelFloats(64);
    const adam = { wd: 0, b1: 0.9, b2: 0.999, step: 1e-3, bc2Sqrt: 1, eps: 1e-8 };
    expect(reluForwardWasm(r(), r())).toBe(true);
    expect(reluBackwardWasm(r(), r(), r())).toBe(true);
    expect(addBiasWasm(r(), r(), 1, 64)).toBe(true);
    expect(columnSumsWasm(r(), r(), 1, 64)).toBe(true);
    expect(sgdWasm(r(), r(), 64, 0.1, 0)).toBe(true);
    expect(sgdMomentumWasm(r(), r(), r(), 64, { lr: 0.1, wd: 0, mu: 0.9, first: true })).toBe(true);
    expect(adamWasm(r(), r(), r(), r(), 64, adam)).toBe(true);
    expect(reluForwardWasm(new Float32Array(64), r())).toBe(false);
    expect(sgdWasm(r(), r(), 63, 0.1, 0)).toBe(false); // the kernels take two values at a time
  });

  it('ReLU forward and backward', () => {
    for (const n of LENGTHS) {
      const x = values(n),
        g = values(n);
      const y = new Float32Array(n),
        ry = kernelFloats(n);
      reluForward(x, y);
      reluForward(resident(x), ry);
      expectSameBits(ry, y);
      const gx = new Float32Array(n),
        rgx = kernelFloats(n);
      reluBackward(g, y, gx);
      reluBackward(resident(g), ry, rgx);
      expectSameBits(rgx, gx);
    }
  });

  it('the bias of a dense layer and its gradient', () => {
    for (const [rows, cols] of [
      [16, 64],
      [13, 67],
      [128, 256],
    ]) {
      const x = values(rows * 5),
        w = values(cols * 5),
        b = values(cols);
      const y = new Float32Array(rows * cols),
        ry = kernelFloats(rows * cols);
      linearForward(x, w, b, y, rows, 5, cols);
      linearForward(resident(x), resident(w), resident(b), ry, rows, 5, cols);
      expectSameBits(ry, y);
      const g = values(rows * cols);
      const gb = new Float32Array(cols),
        rgb = kernelFloats(cols);
      biasGrad(g, gb, rows, cols);
      biasGrad(resident(g), rgb, rows, cols);
      expectSameBits(rgb, gb);
    }
  });

  it('the gradient check finds every kind of non-finite value, anywhere', () => {
    const g = kernelFloats(1001);
    expect(anyNonFiniteWasm(g)).toBe(false);
    for (const bad of [NaN, Infinity, -Infinity])
      for (const at of [0, 3, 999, 1000]) {
        g[at] = bad;
        expect(anyNonFiniteWasm(g)).toBe(true);
        g[at] = 3.4e38; // the largest finite values are fine
        expect(anyNonFiniteWasm(g)).toBe(false);
      }
    expect(anyNonFiniteWasm(new Float32Array(1001))).toBeNull(); // not resident: the caller checks
  });

  /** One weight trained three steps by `make`'s optimizer, from ordinary and resident arrays. */
  function threeSteps(
    make: (p: Tensor[]) => { step(): void },
    n: number,
    where: 'plain' | 'resident',
  ) {
    const start = values(n).map((v) => (Number.isFinite(v) ? v : 0.25));
    const p = new Tensor(where === 'resident' ? resident(start) : start.slice(), [n], true);
    const opt = make([p]);
    for (let s = 0; s < 3; s++) {
      const g = values(n).map((v) => (Number.isFinite(v) ? v : -2));
      p.grad = new Tensor(where === 'resident' ? resident(g) : g, [n]);
      opt.step();
    }
    return p.data as Float32Array;
  }

  const OPTIMIZERS: [string, (p: Tensor[]) => { step(): void }][] = [
    ['SGD', (p) => new Sgd(p, { lr: 0.1, weightDecay: 1e-3 })],
    ['SGD with momentum', (p) => new Sgd(p, { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 })],
    ['Adam', (p) => new Adam(p, { lr: 1e-3, weightDecay: 1e-2 })],
  ];
  for (const [name, make] of OPTIMIZERS) {
    it(`${name} updates`, () => {
      for (const n of LENGTHS) {
        const seed = rng.int(1e9);
        const rngState = () => Object.assign(rng, new Rng(seed));
        rngState();
        const plain = threeSteps(make, n, 'plain');
        rngState();
        expectSameBits(threeSteps(make, n, 'resident'), plain);
      }
    });
  }
});
