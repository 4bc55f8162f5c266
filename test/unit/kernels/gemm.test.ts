import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN, kernelSettings } from '../../../core/ops/kernels/gemm';
import { wasmGemmAvailable } from '../../../core/ops/kernels/wasm-gemm';
import { Rng } from '../../../core/util/rng';
// @ts-expect-error: a plain .mjs build script without types
import { assemble, moduleSource } from '../../../scripts/build-wasm.mjs';

const rng = new Rng(2024);
const forms = { NN: gemmNN, NT: gemmNT, TN: gemmTN } as const;
type Form = keyof typeof forms;

/** C = op(A) · op(B) in float64, straight from the definition. */
function reference(
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

const random = (n: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1));

// Ragged shapes: ones, primes, sizes just off the kernels' blocks, and the MLP's own.
const shapes: [number, number, number][] = [
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

afterEach(() => {
  kernelSettings.backend = 'wasm';
});

describe.each(['wasm', 'ts'] as const)('matrix products (%s kernels)', (backend) => {
  for (const form of Object.keys(forms) as Form[]) {
    it(`${form} matches a float64 reference on ragged shapes`, () => {
      kernelSettings.backend = backend;
      for (const [m, n, k] of shapes) {
        const A = random(m * k),
          B = random(n * k);
        const C = new Float32Array(m * n).fill(NaN); // every entry must be written
        forms[form](A, B, C, m, n, k);
        const R = reference(form, A, B, m, n, k);
        for (let i = 0; i < C.length; i++) {
          // float32 products of values in [-1, 1]: the error grows with the length of the sum
          expect(Math.abs(C[i] - R[i]), `${form} ${m}×${n}×${k} at ${i}`).toBeLessThan(
            2e-6 * k + 1e-6,
          );
        }
      }
    });
  }
});

describe('the WebAssembly SIMD kernel', () => {
  it('runs here (so the tests above checked it, not the fallback twice)', () => {
    expect(wasmGemmAvailable()).toBe(true);
  });

  it('is built from gemm.wat: the committed bytes are up to date', async () => {
    const bytes = await assemble('gemm.wat');
    const committed = readFileSync(
      new URL('../../../core/ops/kernels/wasm/gemm-wasm.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(moduleSource('gemm.wat', bytes));
  });

  it('leaves float64 products (gradient checks) to the TypeScript kernels, exactly', () => {
    const m = 6,
      n = 9,
      k = 10;
    const A = Float64Array.from(random(m * k)),
      B = Float64Array.from(random(n * k));
    const C = new Float64Array(m * n);
    gemmNT(A, B, C, m, n, k);
    const R = reference('NT', Float32Array.from(A), Float32Array.from(B), m, n, k);
    for (let i = 0; i < C.length; i++) expect(C[i]).toBeCloseTo(R[i], 12);
  });
});
