import type { TensorData } from '../../tensor/tensor';
import { transposeInto } from './transpose';
import { GEMM_WASM_BASE64, GEMM_WASM_SHARED_BASE64 } from './wasm/gemm-wasm';
import { decodeBase64, MAX_PAGES, wasmApi, type WasmMemory, type WasmModule } from './wasm-api';

// Matrix products through the WebAssembly SIMD kernel (wasm/gemm.wat). Operands are copied
// into the module's memory in the layout the kernel wants — transposing on the way in where
// the product needs it, and padding to its 4×8 block — and the result is copied back. The
// copies are O(n²) against the product's O(n³). Where WebAssembly SIMD is missing, `available`
// is false and callers keep the TypeScript kernels.

/** The kernel's entry: C = A·B on byte offsets into its memory, m a multiple of 4, n of 8. */
export type GemmEntry = (a: number, b: number, c: number, m: number, n: number, k: number) => void;

/**
 * Runs one padded product: the kernel itself, or (gemm-threads.ts) the kernel on part of the
 * rows here and on the rest in a helper thread sharing the memory.
 */
export type ProductRunner = (
  gemm: GemmEntry,
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
) => void;

interface Kernel {
  memory: WasmMemory;
  gemm: GemmEntry;
  /** Set once the kernel runs on a shared memory: what a helper thread instantiates. */
  shared: { module: WasmModule; memory: WasmMemory } | null;
}

/**
 * Bytes at the start of the memory kept for the two threads' control words (gemm-threads.ts);
 * operands start after them.
 */
export const CONTROL_BYTES = 64;
const BASE = CONTROL_BYTES / 4;

const runAlone: ProductRunner = (gemm, a, b, c, m, n, k) => gemm(a, b, c, m, n, k);

let kernel: Kernel | null | undefined;
let view: Float32Array | null = null;
let runProduct: ProductRunner = runAlone;

function instantiate(b64: string, memory: WasmMemory): { gemm: GemmEntry; module: WasmModule } {
  const wasm = wasmApi()!;
  const bytes = decodeBase64(b64);
  if (!wasm.validate(bytes)) throw new Error('WebAssembly SIMD is not supported here');
  const module = new wasm.Module(bytes);
  const inst = new wasm.Instance(module, { env: { memory } });
  return { gemm: inst.exports.gemm as GemmEntry, module };
}

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const wasm = wasmApi();
    if (!wasm || typeof atob !== 'function') return null;
    const memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES });
    kernel = { memory, gemm: instantiate(GEMM_WASM_BASE64, memory).gemm, shared: null };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Whether the SIMD kernel runs here. */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
}

/**
 * Moves the kernel to a shared memory (for gemm-threads.ts) and returns the compiled module and
 * the memory for a helper thread to instantiate on. Throws where shared memory is not allowed
 * (a page that is not cross-origin isolated) or the kernel does not run. Once moved, it stays.
 */
export function useSharedKernel(): { module: WasmModule; memory: WasmMemory } {
  const wasm = wasmApi();
  const kn = load();
  if (!kn || !wasm) throw new Error('the WebAssembly SIMD kernel does not run here');
  if (kn.shared) return kn.shared;
  const memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const { gemm, module } = instantiate(GEMM_WASM_SHARED_BASE64, memory);
  kernel = { memory, gemm, shared: { module, memory } };
  view = null;
  return kernel.shared!;
}

/** Sets how padded products run; null: the kernel alone, on this thread. */
export function setProductRunner(runner: ProductRunner | null): void {
  runProduct = runner ?? runAlone;
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
  const kn = load();
  if (!kn) return false;
  const m4 = (m + 3) & ~3;
  const n8 = (n + 7) & ~7;
  const aOff = BASE;
  const bOff = aOff + m4 * k;
  const cOff = bOff + k * n8;
  const need = (cOff + m4 * n8) * 4;
  if (kn.memory.buffer.byteLength < need) {
    kn.memory.grow(Math.ceil((need - kn.memory.buffer.byteLength) / 65536));
  }
  // One view of the module's memory, made again only after the memory grew.
  if (!view || view.buffer !== kn.memory.buffer) view = new Float32Array(kn.memory.buffer);
  const mem = view;

  // A as [m4, k]: rows beyond m are zero.
  if (form === 'TN') {
    // A arrives as [k, m]
    transposeInto(A, k, m, mem, aOff, k);
  } else {
    mem.set(A.length === m * k ? A : A.subarray(0, m * k), aOff); // contiguous: one memcpy
  }
  mem.fill(0, aOff + m * k, aOff + m4 * k);

  // B as [k, n8]: columns beyond n are zero.
  if (form === 'NT') {
    // B arrives as [n, k]
    transposeInto(B, n, k, mem, bOff, n8);
    for (let p = 0; p < k; p++) mem.fill(0, bOff + p * n8 + n, bOff + (p + 1) * n8);
  } else if (n === n8) {
    mem.set(B.length === k * n ? B : B.subarray(0, k * n), bOff);
  } else {
    for (let p = 0; p < k; p++) {
      const src = p * n,
        dst = bOff + p * n8;
      for (let j = 0; j < n; j++) mem[dst + j] = B[src + j];
      for (let j = n; j < n8; j++) mem[dst + j] = 0;
    }
  }

  runProduct(kn.gemm, aOff * 4, bOff * 4, cOff * 4, m4, n8, k);

  if (n === n8) {
    C.set(mem.subarray(cOff, cOff + m * n));
  } else {
    for (let i = 0; i < m; i++) {
      const src = cOff + i * n8,
        dst = i * n;
      for (let j = 0; j < n; j++) C[dst + j] = mem[src + j];
    }
  }
  return true;
}
