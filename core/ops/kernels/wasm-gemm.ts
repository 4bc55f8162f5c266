import type { TensorData } from '../../tensor/tensor';
import { memoryView, residentOffset, scratchSpace, SLACK, workSpace } from './resident';
import {
  type ActiveKernel,
  activeKernel,
  type EntryKind,
  type GemmEntry,
  type Variant,
  wasmEngine,
  workBytes,
} from './wasm-kernel';

// Matrix products through the WebAssembly kernels (wasm/gemm.wat, wasm-kernel.ts). The
// kernels read the operands in the layouts the products have (no transposing, no padding):
// an operand that lives in the kernels' memory (resident.ts) is used where it is; any other is
// copied into scratch space with one memcpy, and so is the result out of it. Where WebAssembly
// SIMD is missing, `gemmWasm` returns false and callers keep the TypeScript kernels.

export type { EntryKind, GemmEntry } from './wasm-kernel';

/**
 * How products large enough to share run (gemm-threads.ts): the kernel on part of the rows here
 * and on the rest in a helper thread sharing the memory.
 */
export interface ProductThreading {
  /** Whether a product of this size may be shared at all; the others run here, directly. */
  shares(m: number, n: number, k: number): boolean;
  /** Runs one product's rows, shared or not. */
  run(
    entry: GemmEntry,
    variant: Variant,
    kind: EntryKind,
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    /** Bytes of work space each thread needs (workBytes), 0 for none. */
    work: number,
  ): void;
}

let threading: ProductThreading | null = null;

/** Whether the WebAssembly SIMD kernels run here. */
export function wasmGemmAvailable(): boolean {
  return wasmEngine() !== null;
}

/** Sets how products large enough to share run; null: every product on this thread. */
export function setProductThreading(runner: ProductThreading | null): void {
  threading = runner;
}

/** Forms of the product: which operand arrives transposed. */
export type GemmForm = 'NN' | 'NT' | 'TN';

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
  const kernel = activeKernel();
  if (!kernel) return false;
  const a = residentOffset(A),
    b = residentOffset(B),
    c = residentOffset(C);
  if (a >= 0 && b >= 0 && c >= 0 && !threading?.shares(m, n, k)) {
    // In place on this thread (the fused plan's case). One call per form, so that each call
    // site meets a single WebAssembly function and V8 calls it directly: through one shared
    // site a 16×16×16 product took half as long again.
    if (form === 'NN') kernel.nn(a, b, c, m, n, k, 0, m, 0);
    else if (form === 'TN') kernel.tn(a, b, c, m, n, k, 0, m, 0);
    else kernel.nt(a, b, c, m, n, k, 0, m, ntWork(kernel, n, k));
    return true;
  }
  const e = wasmEngine()!;
  const kind = form === 'NN' ? 0 : form === 'TN' ? 1 : 2;
  const entry = e.kernels[kernel.variant]!.entries[kind];
  const work = workBytes(e, kind, n, k);
  const run = (inA: number, inB: number, inC: number) =>
    threading
      ? threading.run(entry, kernel.variant, kind, inA, inB, inC, m, n, k, work)
      : entry(inA, inB, inC, m, n, k, 0, m, work ? workSpace(0, work) : 0);
  if (a >= 0 && b >= 0 && c >= 0) {
    run(a, b, c);
    return true;
  }
  // Scratch for what is not resident, each part followed by readable slack.
  const aLen = m * k,
    bLen = n * k,
    cLen = m * n;
  const need =
    (a < 0 ? aLen * 4 + SLACK : 0) + (b < 0 ? bLen * 4 + SLACK : 0) + (c < 0 ? cLen * 4 : 0);
  const { at, mem } = scratchSpace(e, need);
  let p = at;
  const inA = a >= 0 ? a : copyIn(A, aLen, mem, p);
  if (a < 0) p += aLen * 4 + SLACK;
  const inB = b >= 0 ? b : copyIn(B, bLen, mem, p);
  if (b < 0) p += bLen * 4 + SLACK;
  run(inA, inB, c >= 0 ? c : p);
  if (c < 0) C.set(memoryView(e).subarray(p >> 2, (p >> 2) + cLen)); // the memory may have grown
  return true;
}

/**
 * gemm_nt's work space on this thread: B transposed where k is short, else none (0). The rule
 * of workBytes (wasm-kernel.ts), written out: calling it here made three 16³ products about
 * 40 ns slower (573–617 against 547–583 ns, taking turns).
 */
function ntWork(kernel: ActiveKernel, n: number, k: number): number {
  return k < kernel.ntTransposeBelow ? workSpace(0, n * k * 4) : 0;
}

/** The first `len` values of X into the memory at byte offset `at` (one memcpy); returns at. */
function copyIn(X: TensorData, len: number, mem: Float32Array, at: number): number {
  mem.set(X.length === len ? X : X.subarray(0, len), at >> 2);
  return at;
}
