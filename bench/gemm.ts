import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'node:perf_hooks';
import { gemmNN, gemmNT, gemmTN, kernelSettings } from '../core/ops/kernels/gemm';
import { disableGemmThreads, threadSettings } from '../core/ops/kernels/gemm-threads';
import { kernelFloats } from '../core/ops/kernels/resident';
import {
  type KernelMode,
  kernelMode,
  setKernelMode,
  wasmEngine,
} from '../core/ops/kernels/wasm-kernel';
import { useTwoThreads } from '../cli/gemm-threads';
import { Rng } from '../core/util/rng';
import { cpuSeconds, median } from './measure';
import { type PeakKind, type PeakSweep, peakWindow } from './peak';

export type GemmKernel = 'gemmNT' | 'gemmNN' | 'gemmTN';

/** One matrix product of a training step: C[m,n] from A and B with inner size k. */
export interface GemmCase {
  label: string;
  kernel: GemmKernel;
  m: number;
  n: number;
  k: number;
}

const KERNELS = { gemmNT, gemmNN, gemmTN };

/** The three products of a dense layer `inputs → units` at batch `batch`. */
function layerCases(name: string, batch: number, inputs: number, units: number): GemmCase[] {
  return [
    { label: `${name} forward x·Wᵀ`, kernel: 'gemmNT', m: batch, n: units, k: inputs },
    { label: `${name} input grad δ·W`, kernel: 'gemmNN', m: batch, n: inputs, k: units },
    { label: `${name} weight grad δᵀ·x`, kernel: 'gemmTN', m: units, n: inputs, k: batch },
  ];
}

/** The 784→256 and 256→128 layers of the MLP at batch 128, and small layers at batch 16. */
export const GEMM_CASES: readonly GemmCase[] = [
  ...layerCases('MLP fc1', 128, 784, 256),
  ...layerCases('MLP fc2', 128, 256, 128),
  ...layerCases('16→16', 16, 16, 16),
  ...layerCases('32→32', 16, 32, 32),
  ...layerCases('64→64', 16, 64, 64),
];

/** Row-major shapes of A and B as each kernel reads them. */
function operandShapes(c: GemmCase): { a: [number, number]; b: [number, number] } {
  switch (c.kernel) {
    case 'gemmNT':
      return { a: [c.m, c.k], b: [c.n, c.k] };
    case 'gemmNN':
      return { a: [c.m, c.k], b: [c.k, c.n] };
    case 'gemmTN':
      return { a: [c.k, c.m], b: [c.k, c.n] };
  }
}

/** A rate and the share of its instruction set's peak, both medians over the rounds. */
export interface Rate {
  gflops: number;
  /** Of the peak probe's window taken just before (undefined where no peak applies). */
  ofPeak?: number;
}

export interface GemmResult {
  gemm: GemmCase;
  /** The portable kernel (plain SIMD), against the plain-SIMD peak. */
  portable: Rate;
  /** The fast kernel (relaxed SIMD), against the relaxed-SIMD peak; undefined where missing. */
  fast?: Rate;
  /** The current mode's kernel with two threads per product, GFLOP/s of wall time. */
  twoThreads?: number;
  /** Our TypeScript kernel, the fallback where WebAssembly SIMD is missing. */
  ts: number;
  /** tf.matMul on the wasm backend with a B it has not seen (as in training). */
  tfjs: number;
  /** Largest absolute difference between our C and tfjs's, as a check that both compute C. */
  maxAbsDiff: number;
}

export interface GemmOptions {
  /** Rounds; in each, every kernel and its peak take one window in turn. */
  rounds: number;
  /** CPU seconds per window. */
  minSeconds: number;
  /** Also time two threads per product (wall time; products large enough to be split). */
  threads?: boolean;
  peaks: Partial<Record<PeakKind, PeakSweep>>;
}

/**
 * GFLOP/s of one window of `run`, timed in CPU seconds of this process (on a shared machine the
 * time the OS gives other processes is left out). Calls are timed in batches long enough that
 * reading the clock (about a microsecond) costs well under 1 %.
 */
function window(
  flops: number,
  run: () => void,
  seconds: number,
  clock: () => number = cpuSeconds,
): number {
  let batch = 1;
  let calls = 0,
    spent = 0;
  while (spent < seconds) {
    const t0 = clock();
    for (let i = 0; i < batch; i++) run();
    const t = clock() - t0;
    spent += t;
    calls += batch;
    if (t < 2e-4) batch *= 2;
  }
  return (flops * calls) / spent / 1e9;
}

/**
 * The same for a call that needs `before` and `after` around it, untimed (tfjs: a new B tensor
 * before, reading C back and freeing it after): timed call by call; each takes ≥ 10 µs.
 */
function windowEach(
  flops: number,
  run: () => void,
  seconds: number,
  before: () => void,
  after: () => void,
): number {
  let calls = 0,
    spent = 0;
  while (spent < seconds) {
    before();
    const t0 = cpuSeconds();
    run();
    spent += cpuSeconds() - t0;
    after();
    calls++;
  }
  return (flops * calls) / spent / 1e9;
}

const wallSeconds = () => performance.now() / 1000;

function inMode<T>(mode: KernelMode, fn: () => T): T {
  const prev = kernelMode();
  setKernelMode(mode);
  try {
    return fn();
  } finally {
    setKernelMode(prev);
  }
}

function withBackend<T>(backend: 'wasm' | 'ts', fn: () => T): T {
  const prev = kernelSettings.backend;
  kernelSettings.backend = backend;
  try {
    return fn();
  } finally {
    kernelSettings.backend = prev;
  }
}

/** Random values in the kernels' memory, where the fused training plan keeps its buffers. */
function operand(rng: Rng, length: number): Float32Array {
  const x = kernelFloats(length);
  for (let i = 0; i < length; i++) x[i] = rng.normal();
  return x;
}

/**
 * Our kernels (portable, fast, TypeScript; two threads) against the WebAssembly peak of their
 * instruction set and tf.matMul (transposeA/transposeB) on tfjs's wasm backend, which must be
 * active. Dense random operands; in training, ReLU zeros in δ let gemmNN and gemmTN skip work.
 */
export function benchGemm(o: GemmOptions, cases: readonly GemmCase[] = GEMM_CASES): GemmResult[] {
  const rng = new Rng(99);
  const out: GemmResult[] = [];
  const fastToo = !!wasmEngine()?.kernels[1];
  for (const c of cases) {
    const { a: aShape, b: bShape } = operandShapes(c);
    const A = operand(rng, aShape[0] * aShape[1]);
    const B = operand(rng, bShape[0] * bShape[1]);
    const C = kernelFloats(c.m * c.n);
    const flops = 2 * c.m * c.n * c.k;
    const kernel = KERNELS[c.kernel];
    const product = () => kernel(A, B, C, c.m, c.n, c.k);

    const transA = c.kernel === 'gemmTN',
      transB = c.kernel === 'gemmNT';
    const ta = tf.tensor2d(A, aShape);
    let tb = tf.tensor2d(B, bShape);
    let p: tf.Tensor | null = null;
    const tfProduct = () => void (p = tf.matMul(ta, tb, transA, transB));
    const collect = () => {
      p?.dataSync(); // read back after the clock: a check that it was made, untimed
      p?.dispose();
    };
    const fresh = () => {
      tb.dispose(); // disposing B also frees whatever the backend cached for it
      tb = tf.tensor2d(B, bShape);
    };
    const check = tf.matMul(ta, tb, transA, transB);
    const T = check.dataSync();
    check.dispose();
    product();
    let maxAbsDiff = 0;
    for (let i = 0; i < C.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(C[i] - T[i]));

    const shares = { portable: [] as number[], fast: [] as number[] };
    const rates = { portable: [] as number[], fast: [] as number[], ts: [] as number[] };
    const tfRates: number[] = [];
    const w = o.minSeconds;
    for (let i = 0; i < 5; i++) {
      inMode('portable', product);
      inMode('fast', product);
    }
    for (let r = 0; r < o.rounds; r++) {
      for (const [mode, kind] of [
        ['portable', 'plain'],
        ['fast', 'relaxed'],
      ] as const) {
        if (mode === 'fast' && !fastToo) continue;
        const peak = o.peaks[kind];
        const top = peak ? peakWindow(peak, w) : NaN;
        const g = inMode(mode, () => window(flops, product, w));
        rates[mode].push(g);
        shares[mode].push(g / top);
      }
      rates.ts.push(withBackend('ts', () => window(flops, product, w)));
      tfRates.push(windowEach(flops, tfProduct, w, fresh, collect));
    }
    let twoThreads: number | undefined;
    if (
      o.threads &&
      c.m * c.n * c.k >= threadSettings.minProduct &&
      useTwoThreads().threads === 2
    ) {
      for (let i = 0; i < 5; i++) product();
      const two: number[] = [];
      for (let r = 0; r < o.rounds; r++) two.push(window(flops, product, w, wallSeconds));
      twoThreads = median(two);
      disableGemmThreads();
    }
    ta.dispose();
    tb.dispose();
    const rate = (mode: 'portable' | 'fast'): Rate => ({
      gflops: median(rates[mode]),
      ofPeak: o.peaks[mode === 'portable' ? 'plain' : 'relaxed'] ? median(shares[mode]) : undefined,
    });
    out.push({
      gemm: c,
      portable: rate('portable'),
      fast: fastToo ? rate('fast') : undefined,
      twoThreads,
      ts: median(rates.ts),
      tfjs: median(tfRates),
      maxAbsDiff,
    });
  }
  return out;
}

/** What handing half a product to the helper thread costs: µs per product, 1 and 2 threads. */
export interface HandOff {
  shape: string;
  oneThreadUs: number;
  twoThreadsUs: number;
}

/**
 * The hand-off measured on a product too small to be worth splitting (16×16×16, split anyway):
 * writing the helper's arguments, waking it, and waiting for its "done" is nearly all of the
 * two-thread time. Wall time, the median of `rounds` windows. Null where two threads don't run.
 */
export function benchHandOff(o: GemmOptions): HandOff | null {
  const rng = new Rng(7);
  const [m, n, k] = [16, 16, 16];
  const A = operand(rng, m * k),
    B = operand(rng, k * n),
    C = kernelFloats(m * n);
  const product = () => gemmNN(A, B, C, m, n, k);
  const perCall = (): number => {
    for (let i = 0; i < 100; i++) product();
    const us: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      let calls = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < o.minSeconds * 1000) {
        for (let i = 0; i < 50; i++) product();
        calls += 50;
      }
      us.push(((performance.now() - t0) * 1000) / calls);
    }
    return median(us);
  };
  const oneThreadUs = perCall();
  const min = threadSettings.minProduct,
    share = threadSettings.minHelperShare;
  threadSettings.minProduct = 0;
  threadSettings.minHelperShare = 0; // shared however little the helper takes
  try {
    if (useTwoThreads().threads !== 2) return null;
    const twoThreadsUs = perCall();
    return { shape: `${m}×${n}×${k}`, oneThreadUs, twoThreadsUs };
  } finally {
    threadSettings.minProduct = min;
    threadSettings.minHelperShare = share;
    disableGemmThreads();
  }
}
