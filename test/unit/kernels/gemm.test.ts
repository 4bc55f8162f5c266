import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gemmNT } from '../../../core/ops/kernels/gemm';
import { kernelFloats, memoryView, residentOffset } from '../../../core/ops/kernels/resident';
import { wasmGemmAvailable } from '../../../core/ops/kernels/wasm-gemm';
import { chooseOuterBlocks, fasterBlock } from '../../../core/ops/kernels/outer-block';
import { kernelInfo, wasmEngine } from '../../../core/ops/kernels/wasm-kernel';
import {
  checkProduct,
  forms,
  KERNELS,
  random,
  RAGGED_SHAPES as shapes,
  reference,
  useKernel,
  type Form,
} from './reference';
// @ts-expect-error: a plain .mjs build script without types
import { fused, moduleText, watSource } from '../../../scripts/build-wasm.mjs';

afterEach(() => useKernel('fast'));

const FORMS = Object.keys(forms) as Form[];

/** Operand lengths of each form: A, B. */
const lengths = (form: Form, m: number, n: number, k: number) => [m * k, n * k];

/**
 * C against the float64 reference within float32's error bound for a sum of k products,
 * |C − R| ≤ (k + 2)·2⁻²⁴·Σ|a·b| (+ the smallest subnormal per term, for tiny operands), and
 * non-finite exactly where the reference (rounded to float32) is.
 */
function expectClose(
  form: Form,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  m: number,
  n: number,
  k: number,
) {
  const R = reference(form, A, B, m, n, k);
  const abs = reference(form, A.map(Math.abs), B.map(Math.abs), m, n, k);
  for (let i = 0; i < C.length; i++) {
    const want = Math.fround(R[i]);
    if (!Number.isFinite(want) || !Number.isFinite(C[i])) {
      if (Number.isFinite(C[i]) !== Number.isFinite(want))
        throw new Error(`${form} ${m}×${n}×${k} at ${i}: ${C[i]}, the reference ${R[i]}`);
      continue;
    }
    const bound = (k + 2) * 2 ** -24 * abs[i] + (k + 1) * 2 ** -149;
    if (!(Math.abs(C[i] - R[i]) <= bound))
      throw new Error(`${form} ${m}×${n}×${k} at ${i}: ${C[i]} vs ${R[i]} (bound ${bound})`);
  }
}

describe.each(KERNELS)('matrix products (%s kernel)', (kernel) => {
  for (const form of FORMS) {
    it(`${form} matches a float64 reference on ragged shapes`, () => {
      useKernel(kernel);
      for (const [m, n, k] of shapes) checkProduct(form, m, n, k);
    });

    it(`${form} stays within float32's error bound at extreme magnitudes`, () => {
      useKernel(kernel);
      const [m, n, k] = [9, 13, 37];
      const [aLen, bLen] = lengths(form, m, n, k);
      // huge (products near float32's largest), tiny (products subnormal), and both mixed
      for (const [sa, sb] of [
        [2 ** 60, 2 ** 60],
        [2 ** -60, 2 ** -70],
        [2 ** 100, 2 ** -100],
      ]) {
        const A = random(aLen).map((v) => v * sa),
          B = random(bLen).map((v) => v * sb);
        const C = new Float32Array(m * n).fill(NaN);
        forms[form](A, B, C, m, n, k);
        expectClose(form, A, B, C, m, n, k);
      }
    });

    it(`${form} gives non-finite results exactly where the float64 reference does`, () => {
      useKernel(kernel);
      const [m, n, k] = [10, 11, 12];
      const [aLen, bLen] = lengths(form, m, n, k);
      const A = random(aLen),
        B = random(bLen);
      A[3] = Infinity;
      A[aLen - 1] = NaN;
      B[5] = -Infinity;
      B[7] = 3e38; // with 3e38 in A: a product that overflows float32
      A[20] = 3e38;
      const C = new Float32Array(m * n);
      forms[form](A, B, C, m, n, k);
      expectClose(form, A, B, C, m, n, k);
    });
  }
});

describe('the WebAssembly kernels', () => {
  it('run here (so the tests above checked them, not the fallback three times)', () => {
    expect(wasmGemmAvailable()).toBe(true);
    expect(() => useKernel('fast')).not.toThrow();
    expect(() => useKernel('portable')).not.toThrow();
  });

  it('are built from gemm.wat: the committed bytes are up to date', async () => {
    const committed = readFileSync(
      new URL('../../../core/ops/kernels/wasm/gemm-wasm.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(await moduleText('gemm.wat'));
  });

  it('differ only in the multiply-adds: the fast one fuses each of them', () => {
    const code = (text: string) => text.replace(/;;.*$/gm, '');
    const portable = code(watSource('gemm.wat'));
    const fast = code(watSource('gemm.wat', { fast: true }));
    const madds = portable.match(/\(f32x4\.add \(local\.get \$\w+\) \(f32x4\.mul/g)!.length;
    // 8 in the 4×8 block, 12 in the 6×8 block, 8 in the dot-product block and 8 in its tail
    expect(madds).toBe(36);
    expect(fast.match(/f32x4\.relaxed_madd/g)!.length).toBe(madds);
    expect(fast).not.toMatch(/f32x4\.mul/);
    expect(() => fused('(module)')).toThrow(/no multiply-add/);
  });

  it('follow the mode: each form runs the kernel of the mode set last, back and forth', () => {
    // Fused and unfused multiply-adds round differently: over 64-term sums of random values
    // some entries differ, so the bits say which kernel ran.
    const [m, n, k] = [16, 24, 64];
    for (const form of FORMS) {
      const [aLen, bLen] = lengths(form, m, n, k);
      const A = random(aLen),
        B = random(bLen);
      const run = (kernel: 'fast' | 'portable') => {
        useKernel(kernel);
        const C = new Float32Array(m * n);
        forms[form](A, B, C, m, n, k);
        return C;
      };
      const fast = run('fast'),
        portable = run('portable');
      expect(fast, form).not.toEqual(portable);
      expect(run('fast'), form).toEqual(fast);
      expect(run('portable'), form).toEqual(portable);
    }
  });

  for (const kernel of ['fast', 'portable'] as const) {
    it(`give the same bits in the 6 × 8 block as in the 4 × 8 block (${kernel})`, () => {
      for (const form of FORMS) {
        for (const [m, n, k] of [...shapes, [16, 16, 16], [17, 40, 9], [128, 256, 128]]) {
          const [aLen, bLen] = lengths(form, m, n, k);
          const A = random(aLen),
            B = random(bLen);
          const C = [kernel, `${kernel} 6 × 8` as const].map((name) => {
            useKernel(name);
            const C = new Float32Array(m * n).fill(NaN);
            forms[form](A, B, C, m, n, k);
            return C;
          });
          expect(C[1], `${form} ${m}×${n}×${k}`).toEqual(C[0]);
        }
      }
    });
  }

  it('keep the 6 × 8 block only where it timed at least 3 % faster', () => {
    expect(fasterBlock({ four: 1, six: 0.9 })).toBe(6);
    expect(fasterBlock({ four: 1, six: 0.98 })).toBe(4);
    expect(fasterBlock({ four: 1, six: 2 })).toBe(4);
    // a clock by which 6 × 8 is faster for the fast kernel only
    const timed: string[] = [];
    const choice = chooseOuterBlocks((variant, rows) => {
      timed.push(`${variant}:${rows}`);
      return variant === 1 && rows === 6 ? 0.8 : 1;
    });
    expect(choice!.rows).toEqual([4, 6]);
    expect(timed).toContain('0:6');
    expect(timed.length).toBeGreaterThanOrEqual(4 * 8); // both blocks, both kernels, ≥ 8 rounds
    expect(kernelInfo().block).toBe('6 × 8'); // the fast mode runs
    useKernel('portable');
    useKernel('fast');
    expect(kernelInfo().block).toBe('4 × 8');
  });

  it('keep the 4 × 8 block when the timing fails', () => {
    useKernel('fast 6 × 8');
    expect(
      chooseOuterBlocks(() => {
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      }),
    ).toBeNull();
    expect(kernelInfo().block).toBe('4 × 8');
  });

  it('choose a block by timing them on this machine, and products still match', () => {
    const choice = chooseOuterBlocks()!;
    for (const t of choice.times) expect(t!.four).toBeGreaterThan(0);
    expect(kernelInfo().block).toBe(choice.rows[1] === 6 ? '6 × 8' : '4 × 8');
    expect(() => checkProduct('TN', 130, 257, 31)).not.toThrow();
  });

  it('leave float64 products (gradient checks) to the TypeScript kernels, exactly', () => {
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

describe('resident operands', () => {
  it('live in the kernels’ shared memory', () => {
    expect(wasmEngine()!.shared).toBe(true);
    const x = kernelFloats(100);
    expect(residentOffset(x)).toBeGreaterThan(0);
    expect(residentOffset(x) % 64).toBe(0);
    expect(x.every((v) => v === 0)).toBe(true);
    expect(residentOffset(new Float32Array(100))).toBe(-1);
  });

  for (const kernel of ['fast', 'portable'] as const) {
    it(`give the same bits as copied ones, with NaN in the memory around them (${kernel})`, () => {
      useKernel(kernel);
      for (const form of FORMS) {
        for (const [m, n, k] of [
          [5, 13, 7],
          [33, 15, 65],
          [130, 257, 31],
        ]) {
          const [aLen, bLen] = lengths(form, m, n, k);
          const A = random(aLen),
            B = random(bLen);
          const copied = new Float32Array(m * n);
          forms[form](A, B, copied, m, n, k);
          const rA = kernelFloats(aLen),
            rB = kernelFloats(bLen),
            rC = kernelFloats(m * n);
          // NaN in every readable byte past each operand (its slack), which edge blocks read
          const mem = memoryView(wasmEngine()!);
          for (const r of [rA, rB, rC]) {
            const end = (residentOffset(r) >> 2) + r.length;
            mem.fill(NaN, end, end + 16);
          }
          rA.set(A);
          rB.set(B);
          rC.fill(NaN);
          forms[form](rA, rB, rC, m, n, k);
          expect(rC).toEqual(copied);
          for (const r of [rA, rB]) {
            const end = (residentOffset(r) >> 2) + r.length;
            expect(Number.isNaN(mem[end])).toBe(true); // the kernel wrote nothing past them
          }
        }
      }
    });
  }
});
