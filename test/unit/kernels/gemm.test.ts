import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gemmNT, kernelSettings } from '../../../core/ops/kernels/gemm';
import { wasmGemmAvailable } from '../../../core/ops/kernels/wasm-gemm';
import {
  checkProduct,
  forms,
  random,
  RAGGED_SHAPES as shapes,
  reference,
  type Form,
} from './reference';
// @ts-expect-error: a plain .mjs build script without types
import { assemble, moduleSource } from '../../../scripts/build-wasm.mjs';

afterEach(() => {
  kernelSettings.backend = 'wasm';
});

describe.each(['wasm', 'ts'] as const)('matrix products (%s kernels)', (backend) => {
  for (const form of Object.keys(forms) as Form[]) {
    it(`${form} matches a float64 reference on ragged shapes`, () => {
      kernelSettings.backend = backend;
      for (const [m, n, k] of shapes) checkProduct(form, m, n, k);
    });
  }
});

describe('the WebAssembly SIMD kernel', () => {
  it('runs here (so the tests above checked it, not the fallback twice)', () => {
    expect(wasmGemmAvailable()).toBe(true);
  });

  it('is built from gemm.wat: the committed bytes are up to date', async () => {
    const bytes = await assemble('gemm.wat');
    const shared = await assemble('gemm.wat', true);
    const committed = readFileSync(
      new URL('../../../core/ops/kernels/wasm/gemm-wasm.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(moduleSource('gemm.wat', bytes, shared));
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
