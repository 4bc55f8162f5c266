// The float64 reference, the ragged shapes and the kernel switch the matrix-product tests share.
import { gemmNN, gemmNT, gemmTN, kernelSettings } from '../../../core/ops/kernels/gemm';
import { setOuterRows } from '../../../core/ops/kernels/outer-block';
import { kernelInfo, setKernelMode } from '../../../core/ops/kernels/wasm-kernel';
import { Rng } from '../../../core/util/rng';

const rng = new Rng(2024);
export const forms = { NN: gemmNN, NT: gemmNT, TN: gemmTN } as const;
export type Form = keyof typeof forms;

/** C = op(A) · op(B) in float64, straight from the definition. */
export function reference(
  form: Form,
  A: Float32Array,
  B: Float32Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const a = form === 'TN' ? A[p * m + i] : A[i * k + p];
        const b = form === 'NT' ? B[j * k + p] : B[p * n + j];
        s += a * b;
      }
      C[i * n + j] = s;
    }
  return C;
}

export const random = (n: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1));

// Ragged shapes: ones, primes, sizes just off the kernels' blocks, and the MLP's own.
export const RAGGED_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [3, 1, 5],
  [2, 9, 1],
  [5, 13, 7],
  [7, 8, 8],
  [9, 17, 31],
  [33, 15, 65],
  [64, 64, 64],
  [128, 10, 128],
  [130, 257, 31],
];

/**
 * op(A)·op(B) with the current kernels on random operands of [m, n, k], checked against the
 * float64 reference; throws naming the first entry that is off. Returns C.
 */
export function checkProduct(form: Form, m: number, n: number, k: number): Float32Array {
  const A = random(m * k),
    B = random(n * k);
  const C = new Float32Array(m * n).fill(NaN); // every entry must be written
  forms[form](A, B, C, m, n, k);
  const R = reference(form, A, B, m, n, k);
  for (let i = 0; i < C.length; i++) {
    // float32 products of values in [-1, 1]: the error grows with the length of the sum
    if (!(Math.abs(C[i] - R[i]) < 2e-6 * k + 1e-6))
      throw new Error(`${form} ${m}×${n}×${k} at ${i}: ${C[i]} vs ${R[i]}`);
  }
  return C;
}

/**
 * The kernels under test: WebAssembly fast (relaxed SIMD) and portable (plain SIMD), each in
 * its 4 × 8 and its 6 × 8 outer-product block (outer-block.ts chooses one by timing), and
 * TypeScript.
 */
export const WASM_KERNELS = ['fast', 'portable', 'fast 6 × 8', 'portable 6 × 8'] as const;
export const KERNELS = [...WASM_KERNELS, 'ts'] as const;
export type KernelName = (typeof KERNELS)[number];

/** What kernelInfo() must say while each kernel runs (so a test checks that one, not another). */
export const KERNEL_INSTRUCTIONS: Record<KernelName, [string, string?]> = {
  fast: ['WebAssembly relaxed SIMD', '4 × 8'],
  portable: ['WebAssembly SIMD', '4 × 8'],
  'fast 6 × 8': ['WebAssembly relaxed SIMD', '6 × 8'],
  'portable 6 × 8': ['WebAssembly SIMD', '6 × 8'],
  ts: ['TypeScript'],
};

/** Makes `kernel` the one products use (until useKernel is called again). */
export function useKernel(kernel: KernelName): void {
  kernelSettings.backend = kernel === 'ts' ? 'ts' : 'wasm';
  setKernelMode(kernel.startsWith('portable') ? 'portable' : 'fast');
  const rows = kernel.endsWith('6 × 8') ? 6 : 4;
  for (const variant of [0, 1] as const) setOuterRows(variant, rows);
  const info = kernelInfo();
  const running: [string, string?] =
    kernelSettings.backend === 'ts' ? ['TypeScript'] : [info.kernel, info.block];
  if (running.join(' ') !== KERNEL_INSTRUCTIONS[kernel].join(' '))
    throw new Error(`asked for the ${kernel} kernel, ${running.join(' ')} runs`);
}
