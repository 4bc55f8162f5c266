import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'node:perf_hooks';
import { gemmNN, gemmNT, gemmTN, kernelSettings } from '../core/ops/kernels/gemm';
import { wasmGemmAvailable } from '../core/ops/kernels/wasm-gemm';
import { disableGemmThreads } from '../core/ops/kernels/gemm-threads';
import { useTwoThreads } from '../cli/gemm-threads';
import { Rng } from '../core/util/rng';
import { median } from './measure';

export type GemmKernel = 'gemmNT' | 'gemmNN' | 'gemmTN';

/** One matrix product of the MLP's training step: C[m,n] from A and B with inner size k. */
export interface GemmCase {
  label: string;
  kernel: GemmKernel;
  m: number;
  n: number;
  k: number;
}

const KERNELS = { gemmNT, gemmNN, gemmTN };

/** The three products of the 784→256 and the 256→128 layers at batch 128. */
export const GEMM_CASES: readonly GemmCase[] = [
  { label: 'fc1 forward x·Wᵀ', kernel: 'gemmNT', m: 128, n: 256, k: 784 },
  { label: 'fc1 input grad δ·W', kernel: 'gemmNN', m: 128, n: 784, k: 256 },
  { label: 'fc1 weight grad δᵀ·x', kernel: 'gemmTN', m: 256, n: 784, k: 128 },
  { label: 'fc2 forward h·Wᵀ', kernel: 'gemmNT', m: 128, n: 128, k: 256 },
  { label: 'fc2 input grad δ·W', kernel: 'gemmNN', m: 128, n: 256, k: 128 },
  { label: 'fc2 weight grad δᵀ·h', kernel: 'gemmTN', m: 128, n: 256, k: 128 },
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

export interface GemmResult {
  gemm: GemmCase;
  /** Our kernel as training runs it (WebAssembly SIMD where available). */
  oursGflops: number;
  /** Our kernel with two threads per product (undefined when not measured). */
  ours2Gflops?: number;
  /** Our TypeScript kernel, the fallback where WebAssembly SIMD is missing. */
  oursTsGflops: number;
  /** tf.matMul with the same B tensor every call (the wasm backend caches its packed B). */
  tfjsGflops: number;
  /** tf.matMul with a B tensor it has not seen, as in training where the weights change. */
  tfjsFreshGflops: number;
  /** Largest absolute difference between our C and tfjs's, as a check that both compute C. */
  maxAbsDiff: number;
}

export interface GemmOptions {
  repeats: number;
  minSeconds: number;
  /** Also time our kernel with two threads per product. */
  threads?: boolean;
}

/**
 * The median over `repeats` windows of the rate of `run` in GFLOP/s (2·m·n·k operations per
 * product). Only `run` is timed, call by call (each call takes a millisecond or so, far above
 * the clock's cost); `before` and `after` prepare and clean up around it, untimed.
 */
function gflops(
  flops: number,
  run: () => void,
  o: GemmOptions,
  before: () => void = () => {},
  after: () => void = () => {},
): number {
  for (let i = 0; i < 3; i++) {
    before();
    run();
    after();
  }
  const rates: number[] = [];
  for (let r = 0; r < o.repeats; r++) {
    let calls = 0,
      seconds = 0;
    while (seconds < o.minSeconds) {
      before();
      const t0 = performance.now();
      run();
      seconds += (performance.now() - t0) / 1000;
      after();
      calls++;
    }
    rates.push((flops * calls) / seconds / 1e9);
  }
  return median(rates);
}

/**
 * Our kernels against tf.matMul (with transposeA/transposeB) on the active tfjs backend (wasm
 * or cpu: both run a kernel to its end inside the call, so the call's time is the product's),
 * on dense random operands. In training, ReLU zeros in δ let gemmNN and gemmTN skip work;
 * dense operands measure their full cost.
 */
export function benchGemm(o: GemmOptions, cases: readonly GemmCase[] = GEMM_CASES): GemmResult[] {
  const rng = new Rng(99);
  const out: GemmResult[] = [];
  for (const c of cases) {
    const { a: aShape, b: bShape } = operandShapes(c);
    const A = Float32Array.from({ length: aShape[0] * aShape[1] }, () => rng.normal());
    const B = Float32Array.from({ length: bShape[0] * bShape[1] }, () => rng.normal());
    const C = new Float32Array(c.m * c.n);
    const flops = 2 * c.m * c.n * c.k;
    const kernel = KERNELS[c.kernel];
    const oursTsGflops = withBackend('ts', () =>
      gflops(flops, () => kernel(A, B, C, c.m, c.n, c.k), o),
    );
    const oursGflops = gflops(flops, () => kernel(A, B, C, c.m, c.n, c.k), o);
    let ours2Gflops: number | undefined;
    if (o.threads && useTwoThreads().threads === 2) {
      ours2Gflops = gflops(flops, () => kernel(A, B, C, c.m, c.n, c.k), o);
      disableGemmThreads();
    }

    const transA = c.kernel === 'gemmTN',
      transB = c.kernel === 'gemmNT';
    const ta = tf.tensor2d(A, aShape);
    let tb = tf.tensor2d(B, bShape);
    let p: tf.Tensor | null = null;
    const product = () => void (p = tf.matMul(ta, tb, transA, transB));
    // Read back and free each product after the clock: a check that it was made, untimed.
    const collect = () => {
      p?.dataSync();
      p?.dispose();
    };
    const check = tf.matMul(ta, tb, transA, transB);
    const T = check.dataSync();
    check.dispose();
    let maxAbsDiff = 0;
    for (let i = 0; i < C.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(C[i] - T[i]));

    const tfjsGflops = gflops(flops, product, o, undefined, collect);
    const fresh = () => {
      tb.dispose(); // disposing B also frees whatever the backend cached for it
      tb = tf.tensor2d(B, bShape);
    };
    const tfjsFreshGflops = gflops(flops, product, o, fresh, collect);
    ta.dispose();
    tb.dispose();
    out.push({
      gemm: c,
      oursGflops,
      ours2Gflops,
      oursTsGflops,
      tfjsGflops,
      tfjsFreshGflops,
      maxAbsDiff,
    });
  }
  return out;
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

/** Which of our kernels training uses on this machine. */
export function ourKernelName(): string {
  return wasmGemmAvailable()
    ? 'WebAssembly SIMD (core/ops/kernels/wasm/gemm.wat)'
    : 'TypeScript (WebAssembly SIMD unavailable)';
}
