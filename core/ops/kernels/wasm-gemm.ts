import type { TensorData } from '../../tensor/tensor';
import { memoryView, residentOffset, scratchSpace, SLACK } from './resident';
import {
  activeVariant,
  type EntryKind,
  type GemmEntry,
  type Variant,
  wasmEngine,
} from './wasm-kernel';

// Matrix products through the WebAssembly kernels (wasm/gemm.wat, wasm-kernel.ts). The
// kernels read the operands in the layouts the products have (no transposing, no padding):
// an operand that lives in the kernels' memory (resident.ts) is used where it is; any other is
// copied into scratch space with one memcpy, and so is the result out of it. Where WebAssembly
// SIMD is missing, `gemmWasm` returns false and callers keep the TypeScript kernels.

export type { EntryKind, GemmEntry } from './wasm-kernel';

/**
 * Runs one product's rows: the kernel itself, or (gemm-threads.ts) the kernel on part of the
 * rows here and on the rest in a helper thread sharing the memory.
 */
export type ProductRunner = (
  entry: GemmEntry,
  variant: Variant,
  kind: EntryKind,
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
) => void;

const runAlone: ProductRunner = (entry, _variant, _kind, a, b, c, m, n, k) =>
  entry(a, b, c, m, n, k, 0, m);

let runProduct: ProductRunner = runAlone;

/** Whether the WebAssembly SIMD kernels run here. */
export function wasmGemmAvailable(): boolean {
  return wasmEngine() !== null;
}

/** Sets how products run; null: the kernel alone, on this thread. */
export function setProductRunner(runner: ProductRunner | null): void {
  runProduct = runner ?? runAlone;
}

/** Forms of the product: which operand arrives transposed. */
export type GemmForm = 'NN' | 'NT' | 'TN';

const KIND: Record<GemmForm, EntryKind> = { NN: 0, TN: 1, NT: 2 };

/**
 * C[m,n] = op(A) · op(B) with the SIMD kernel; A and B as gemmNN/gemmNT/gemmTN take them.
 * Returns false (and does nothing) when the kernel is not available.
 */
export function gemmWasm(
  form: GemmForm,
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): boolean {
  const e = wasmEngine();
  if (!e) return false;
  const aLen = m * k,
    bLen = n * k,
    cLen = m * n;
  let a = residentOffset(A),
    b = residentOffset(B),
    c = residentOffset(C);
  if (a < 0 || b < 0 || c < 0) {
    // Scratch for what is not resident, each part followed by readable slack.
    const need =
      (a < 0 ? aLen * 4 + SLACK : 0) + (b < 0 ? bLen * 4 + SLACK : 0) + (c < 0 ? cLen * 4 : 0);
    const { at, mem } = scratchSpace(e, need);
    let p = at;
    if (a < 0) {
      a = p;
      mem.set(A.length === aLen ? A : A.subarray(0, aLen), p >> 2);
      p += aLen * 4 + SLACK;
    }
    if (b < 0) {
      b = p;
      mem.set(B.length === bLen ? B : B.subarray(0, bLen), p >> 2);
      p += bLen * 4 + SLACK;
    }
    if (c < 0) c = p;
  }
  const variant = activeVariant(e);
  const kind = KIND[form];
  runProduct(e.kernels[variant]!.entries[kind], variant, kind, a, b, c, m, n, k);
  if (residentOffset(C) < 0) {
    const mem = memoryView(e); // the memory may have grown since
    C.set(mem.subarray(c >> 2, (c >> 2) + cLen));
  }
  return true;
}
