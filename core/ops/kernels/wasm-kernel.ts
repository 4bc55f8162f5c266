import {
  GEMM_FAST_BASE64,
  GEMM_FAST_SHARED_BASE64,
  GEMM_PORTABLE_BASE64,
  GEMM_PORTABLE_SHARED_BASE64,
} from './wasm/gemm-wasm';
import { VECTOR_BASE64, VECTOR_SHARED_BASE64 } from './wasm/vector-wasm';
import { decodeBase64, MAX_PAGES, wasmApi, type WasmMemory, type WasmModule } from './wasm-api';

// The WebAssembly kernels (wasm/gemm.wat) and the memory they work in. One memory for the
// process: shared where SharedArrayBuffer is allowed (Node; pages that are cross-origin
// isolated), so that a helper thread can work in it and the engine's own buffers can live in
// it (resident.ts); an ordinary one elsewhere. Both variants of the kernel are compiled for
// that memory, and the kernel mode picks which one runs:
// - 'fast': relaxed SIMD (f32x4.relaxed_madd, a fused multiply-add where the machine has one)
//   where the runtime validates it, else the portable kernel;
// - 'portable': plain SIMD (f32x4.mul + f32x4.add), the same bits on every machine.
// Either way, the same project and seed give the same bits run after run on one machine.

/** Which kernel the matrix products use; see the module comment. */
export type KernelMode = 'fast' | 'portable';

/** The default mode: the fastest kernel this runtime has (its reason: docs/kernels.md). */
export const DEFAULT_KERNEL_MODE: KernelMode = 'fast';

/**
 * One entry of the kernel, on byte offsets into its memory: rows i0 ≤ i < i1 of C[m, n]
 * (gemm_nn C = A·B, gemm_tn C = Aᵀ·B, gemm_nt C = A·Bᵀ); `work`: space of the calling
 * thread's own for gemm_nt's transposed B when k < ntTransposeBelow (workBytes).
 */
export type GemmEntry = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  i0: number,
  i1: number,
  work: number,
) => void;

/** The entries by index, as a helper thread is told them: 0 gemm_nn, 1 gemm_tn, 2 gemm_nt. */
export const ENTRY_NAMES = ['gemm_nn', 'gemm_tn', 'gemm_nt'] as const;
export type EntryKind = 0 | 1 | 2;

/** The two kernels: 0 portable, 1 fast (the index a helper thread is told). */
export type Variant = 0 | 1;

/**
 * The rows of the block that δ·W and δᵀ·x (and x·Wᵀ with short rows) run in: 4 × 8 (eight
 * accumulators) or 6 × 8 (twelve). Both give the same bits; which is faster depends on the
 * runtime's register allocator (outer-block.ts times them).
 */
export type OuterRows = 4 | 6;

interface Compiled {
  module: WasmModule;
  entries: GemmEntry[];
  ntTransposeBelow: number;
  /** The block the entries run in (set_outer_rows), 4 until outer-block.ts chose. */
  outerRows: OuterRows;
  setOuterRows: (rows: OuterRows) => void;
}

export interface Engine {
  memory: WasmMemory;
  shared: boolean;
  /** Compiled for this memory: [portable, fast]; fast is null where relaxed SIMD is missing. */
  kernels: [Compiled, Compiled | null];
  /** Why there is no fast kernel, or null. */
  noFast: string | null;
  /** gemm_nt transposes B (into its work space) for k below this. */
  ntTransposeBelow: number;
  /** The elementwise kernels (wasm/vector.wat), by export name. */
  vector: Record<string, (...args: number[]) => number | undefined>;
}

/** Bytes at the start of the memory kept for two threads' control words (gemm-threads.ts). */
export const CONTROL_BYTES = 128;

let engine: Engine | null | undefined;
let mode: KernelMode = DEFAULT_KERNEL_MODE;

function compile(b64: string, memory: WasmMemory): Compiled | null {
  const wasm = wasmApi()!;
  const bytes = decodeBase64(b64);
  if (!wasm.validate(bytes)) return null;
  const module = new wasm.Module(bytes);
  const inst = new wasm.Instance(module, { env: { memory } });
  const below = inst.exports.nt_transpose_below as { value: number };
  const set = inst.exports.set_outer_rows as (rows: number) => void;
  const compiled: Compiled = {
    module,
    entries: ENTRY_NAMES.map((name) => inst.exports[name] as GemmEntry),
    ntTransposeBelow: below.value,
    outerRows: 4,
    setOuterRows: (rows) => {
      set(rows);
      compiled.outerRows = rows;
    },
  };
  return compiled;
}

function sharedMemory(): WasmMemory | null {
  if (typeof SharedArrayBuffer !== 'function') return null;
  try {
    return new (wasmApi()!.Memory)({ initial: 1, maximum: MAX_PAGES, shared: true });
  } catch {
    return null;
  }
}

/** The kernels and their memory, made on first use; null where WebAssembly SIMD is missing. */
export function wasmEngine(): Engine | null {
  if (engine !== undefined) return engine;
  engine = null;
  try {
    const wasm = wasmApi();
    if (!wasm || typeof atob !== 'function') return null;
    const shared = sharedMemory();
    const memory = shared ?? new wasm.Memory({ initial: 1, maximum: MAX_PAGES });
    const portable = compile(shared ? GEMM_PORTABLE_SHARED_BASE64 : GEMM_PORTABLE_BASE64, memory);
    if (!portable) return null; // no WebAssembly SIMD: the TypeScript kernels run
    const fast = compile(shared ? GEMM_FAST_SHARED_BASE64 : GEMM_FAST_BASE64, memory);
    const vectorModule = new wasm.Module(
      decodeBase64(shared ? VECTOR_SHARED_BASE64 : VECTOR_BASE64),
    );
    const vector = new wasm.Instance(vectorModule, { env: { memory } }).exports as Engine['vector'];
    engine = {
      ntTransposeBelow: portable.ntTransposeBelow,
      vector,
      memory,
      shared: shared !== null,
      kernels: [portable, fast],
      noFast: fast
        ? null
        : 'this runtime does not validate relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)',
    };
  } catch {
    engine = null;
  }
  return engine;
}

/** Chooses the kernel for the products from now on. */
export function setKernelMode(m: KernelMode): void {
  mode = m;
  active = undefined;
}

export function kernelMode(): KernelMode {
  return mode;
}

/** The variant that runs in the current mode (portable where the fast one is missing). */
export function activeVariant(e: Engine): Variant {
  return mode === 'fast' && e.kernels[1] ? 1 : 0;
}

/** What runs the products, for reports and the app's engine line. */
export interface KernelInfo {
  mode: KernelMode;
  /** The instructions the products run on. */
  kernel: 'WebAssembly relaxed SIMD' | 'WebAssembly SIMD' | 'TypeScript';
  /** Why the fast mode runs the portable kernel, when it does. */
  reason?: string;
  /** The block of δ·W and δᵀ·x (wasm/gemm.wat), where a WebAssembly kernel runs. */
  block?: '4 × 8' | '6 × 8';
}

export function kernelInfo(): KernelInfo {
  const e = wasmEngine();
  if (!e) return { mode, kernel: 'TypeScript', reason: 'WebAssembly SIMD is not available here' };
  const variant = activeVariant(e);
  const block = e.kernels[variant]!.outerRows === 6 ? '6 × 8' : '4 × 8';
  if (variant === 1) return { mode, kernel: 'WebAssembly relaxed SIMD', block };
  return mode === 'fast' && e.noFast
    ? { mode, kernel: 'WebAssembly SIMD', reason: e.noFast, block }
    : { mode, kernel: 'WebAssembly SIMD', block };
}

/**
 * Whether this runtime validates the fast (relaxed SIMD) kernel, checked without making the
 * engine: a host that can enable relaxed SIMD (Node 20's flag) asks before the first product.
 */
export function relaxedSimdValidates(): boolean {
  const wasm = wasmApi();
  return !!wasm && typeof atob === 'function' && wasm.validate(decodeBase64(GEMM_FAST_BASE64));
}

/** The current mode's kernel, its entries by name: what a product on one thread calls. */
export interface ActiveKernel {
  variant: Variant;
  nn: GemmEntry;
  tn: GemmEntry;
  nt: GemmEntry;
  /** gemm_nt transposes B (into its work space) for k below this. */
  ntTransposeBelow: number;
}

let active: ActiveKernel | null | undefined;

/**
 * The kernel the products use in the current mode, looked up once per mode (null where
 * WebAssembly SIMD is missing): a matrix product of a small layer takes about 150 ns, and the
 * lookups through the engine took a sixth of that again.
 */
export function activeKernel(): ActiveKernel | null {
  if (active !== undefined) return active;
  const e = wasmEngine();
  if (!e) return (active = null);
  const variant = activeVariant(e);
  const [nn, tn, nt] = e.kernels[variant]!.entries;
  return (active = { variant, nn, tn, nt, ntTransposeBelow: e.ntTransposeBelow });
}

/** Bytes of work space a product needs on each thread that computes part of it. */
export function workBytes(e: Engine, kind: EntryKind, n: number, k: number): number {
  return kind === 2 && k < e.ntTransposeBelow ? n * k * 4 : 0;
}
