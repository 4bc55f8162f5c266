import type { TensorData } from '../../tensor/tensor';
import { transposeInto } from './transpose';
import { GEMM_WASM_BASE64 } from './wasm/gemm-wasm';

// Matrix products through the WebAssembly SIMD kernel (wasm/gemm.wat). Operands are copied
// into the module's memory in the layout the kernel wants — transposing on the way in where
// the product needs it, and padding to its 4×8 block — and the result is copied back. The
// copies are O(n²) against the product's O(n³). Where WebAssembly SIMD is missing, `available`
// is false and callers keep the TypeScript kernels.

/** The part of the WebAssembly JS API used here (typed locally: core has no DOM or Node types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

interface Kernel {
  memory: WasmMemory;
  gemm: (a: number, b: number, c: number, m: number, n: number, k: number) => void;
}

let kernel: Kernel | null | undefined;
let view: Float32Array | null = null;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm || typeof atob !== 'function') return null;
    const bin = atob(GEMM_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (!wasm.validate(bytes)) return null;
    const inst = new wasm.Instance(new wasm.Module(bytes));
    kernel = {
      memory: inst.exports.memory as WasmMemory,
      gemm: inst.exports.gemm as Kernel['gemm'],
    };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Whether the SIMD kernel runs here. */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
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
  const aOff = 0;
  const bOff = m4 * k;
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

  kn.gemm(aOff * 4, bOff * 4, cOff * 4, m4, n8, k);

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
