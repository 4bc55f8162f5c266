import type { TensorData } from '../../tensor/tensor';
import { transposeInto } from './transpose';
import { GEMM_WASM_BASE64, GEMM_WASM_SHARED_BASE64 } from './wasm/gemm-wasm';
import { decodeBase64, MAX_PAGES, wasmApi, type WasmMemory, type WasmModule } from './wasm-api';

// Matrix products through the WebAssembly SIMD kernel (wasm/gemm.wat). Operands are copied
// into the module's memory in the layout the kernel wants — transposing on the way in where
// the product needs it, and padding to its 4×8 block — and the result is copied back. The
// copies are O(n²) against the product's O(n³). Where WebAssembly SIMD is missing, `available`
// is false and callers keep the TypeScript kernels.

/**
 * One of the kernel's entries, on byte offsets into its memory: `gemm` (C = A·B, m a multiple of
 * 4, n of 8) or `gemm_nt` (C = A·Bᵀ, m a multiple of 2, n and k of 4).
 */
export type GemmEntry = (a: number, b: number, c: number, m: number, n: number, k: number) => void;

/** Which entry: the index a helper thread is told (0 `gemm`, 1 `gemm_nt`). */
export type EntryKind = 0 | 1;

/**
 * Runs one padded product: the kernel itself, or (gemm-threads.ts) the kernel on part of the
 * rows here and on the rest in a helper thread sharing the memory.
 */
export type ProductRunner = (
  gemm: GemmEntry,
  kind: EntryKind,
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
  gemmNt: GemmEntry;
  /** Set once the kernel runs on a shared memory: what a helper thread instantiates. */
  shared: { module: WasmModule; memory: WasmMemory } | null;
}

/**
 * Bytes at the start of the memory kept for the two threads' control words (gemm-threads.ts);
 * operands start after them.
 */
export const CONTROL_BYTES = 64;
const BASE = CONTROL_BYTES / 4;

const runAlone: ProductRunner = (gemm, _kind, a, b, c, m, n, k) => gemm(a, b, c, m, n, k);

let kernel: Kernel | null | undefined;
let view: Float32Array | null = null;
let runProduct: ProductRunner = runAlone;

function instantiate(
  b64: string,
  memory: WasmMemory,
): { gemm: GemmEntry; gemmNt: GemmEntry; module: WasmModule } {
  const wasm = wasmApi()!;
  const bytes = decodeBase64(b64);
  if (!wasm.validate(bytes)) throw new Error('WebAssembly SIMD is not supported here');
  const module = new wasm.Module(bytes);
  const inst = new wasm.Instance(module, { env: { memory } });
  return {
    gemm: inst.exports.gemm as GemmEntry,
    gemmNt: inst.exports.gemm_nt as GemmEntry,
    module,
  };
}

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const wasm = wasmApi();
    if (!wasm || typeof atob !== 'function') return null;
    const memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES });
    const { gemm, gemmNt } = instantiate(GEMM_WASM_BASE64, memory);
    kernel = { memory, gemm, gemmNt, shared: null };
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
  const { gemm, gemmNt, module } = instantiate(GEMM_WASM_SHARED_BASE64, memory);
  kernel = { memory, gemm, gemmNt, shared: { module, memory } };
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
  if (form === 'NT') productNT(kn, A, B, C, m, n, k);
  else productNN(kn, form, A, B, C, m, n, k);
  return true;
}

/** A view of the kernel's memory with room for `floats` after the control words. */
function memoryFor(kn: Kernel, floats: number): Float32Array {
  const need = (BASE + floats) * 4;
  if (kn.memory.buffer.byteLength < need) {
    kn.memory.grow(Math.ceil((need - kn.memory.buffer.byteLength) / 65536));
  }
  // One view of the module's memory, made again only after the memory grew.
  if (!view || view.buffer !== kn.memory.buffer) view = new Float32Array(kn.memory.buffer);
  return view;
}

/** `rows` rows of `cols` values into memory as rows of `stride` (≥ cols), zeros after them. */
function copyRows(
  src: TensorData,
  rows: number,
  cols: number,
  mem: Float32Array,
  at: number,
  stride: number,
): void {
  if (cols === stride) {
    mem.set(src.length === rows * cols ? src : src.subarray(0, rows * cols), at); // one memcpy
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = r * cols,
      d = at + r * stride;
    for (let j = 0; j < cols; j++) mem[d + j] = src[s + j];
    for (let j = cols; j < stride; j++) mem[d + j] = 0;
  }
}

/** C[m, n] (row-major) from the kernel's padded [rows, stride] result. */
function copyResult(
  mem: Float32Array,
  at: number,
  stride: number,
  C: TensorData,
  m: number,
  n: number,
): void {
  if (n === stride) {
    C.set(mem.subarray(at, at + m * n));
    return;
  }
  for (let i = 0; i < m; i++) {
    const src = at + i * stride,
      dst = i * n;
    for (let j = 0; j < n; j++) C[dst + j] = mem[src + j];
  }
}

/**
 * x · Wᵀ without transposing W: both operands go in as they are, as rows padded to a multiple
 * of 4 values (and to whole blocks of rows), for `gemm_nt`'s row-against-row dot products.
 */
function productNT(
  kn: Kernel,
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  const m4 = (m + 3) & ~3;
  const n4 = (n + 3) & ~3;
  const k4 = (k + 3) & ~3;
  const aOff = BASE;
  const bOff = aOff + m4 * k4;
  const cOff = bOff + n4 * k4;
  const mem = memoryFor(kn, m4 * k4 + n4 * k4 + m4 * n4);
  copyRows(A, m, k, mem, aOff, k4);
  mem.fill(0, aOff + m * k4, aOff + m4 * k4);
  copyRows(B, n, k, mem, bOff, k4);
  mem.fill(0, bOff + n * k4, bOff + n4 * k4);
  runProduct(kn.gemmNt, 1, aOff * 4, bOff * 4, cOff * 4, m4, n4, k4);
  copyResult(mem, cOff, n4, C, m, n);
}

/** A·B and Aᵀ·B through `gemm`: A as [m4, k] (transposed on the way in for TN), B as [k, n8]. */
function productNN(
  kn: Kernel,
  form: 'NN' | 'TN',
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  const m4 = (m + 3) & ~3;
  const n8 = (n + 7) & ~7;
  const aOff = BASE;
  const bOff = aOff + m4 * k;
  const cOff = bOff + k * n8;
  const mem = memoryFor(kn, m4 * k + k * n8 + m4 * n8);
  if (form === 'TN')
    transposeInto(A, k, m, mem, aOff, k); // A arrives as [k, m]
  else copyRows(A, m, k, mem, aOff, k);
  mem.fill(0, aOff + m * k, aOff + m4 * k);
  copyRows(B, k, n, mem, bOff, n8);
  runProduct(kn.gemm, 0, aOff * 4, bOff * 4, cOff * 4, m4, n8, k);
  copyResult(mem, cOff, n8, C, m, n);
}
