import type { TensorData } from '../../tensor/tensor';
import { transposeInto } from './transpose';
import { type GemmForm, gemmWasm } from './wasm-gemm';

/** Which kernels run the products: WebAssembly SIMD where available, or TypeScript only. */
export const kernelSettings: { backend: 'wasm' | 'ts' } = { backend: 'wasm' };

/** Float32 products with a useful size go to the SIMD kernel (it pads n to 8 columns). */
function viaWasm(
  form: GemmForm,
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): boolean {
  if (kernelSettings.backend !== 'wasm') return false;
  if (!(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array))
    return false;
  // Narrow results waste most of the kernel's 8-column blocks: small ones stay in TypeScript.
  if (n < 8 && m * n * k < 4096) return false;
  return gemmWasm(form, A, B, C, m, n, k);
}

// Matrix products over row-major buffers, in the three forms backprop needs. C is overwritten.
// The dot-product form (A · Bᵀ) reads both operands contiguously and runs fastest in plain
// JavaScript, so the other two forms transpose an operand into scratch space and use it: the
// copy is O(n²) against the product's O(n³).

/** C[m,n] = A[m,k] · B[n,k]ᵀ (forward of a dense layer: x · Wᵀ). */
export function gemmNT(
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  // Sizes may arrive as doubles (a size computed by division): make them small integers so the
  // JIT keeps every index in integer registers.
  m = m | 0;
  n = n | 0;
  k = k | 0;
  if (viaWasm('NT', A, B, C, m, n, k)) return;
  if (k < 8) return dotsShort(A, B, C, m, n, k);
  dotsBlocked(A, B, C, m, n, k);
}

/** Short dot products (a layer with 2 inputs): blocking would only add overhead. */
function dotsShort(
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  for (let i = 0; i < m; i++) {
    const a0 = i * k,
      c0 = i * n;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[a0 + p] * B[b0 + p];
      C[c0 + j] = s;
    }
  }
}

/** Two rows of A against four rows of B at a time: eight sums in registers. */
function dotsBlocked(
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = i * k,
      a1 = a0 + k,
      c0 = i * n,
      c1 = c0 + n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = j * k,
        b1 = b0 + k,
        b2 = b1 + k,
        b3 = b2 + k;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p],
          x1 = A[a1 + p];
        const y0 = B[b0 + p],
          y1 = B[b1 + p],
          y2 = B[b2 + p],
          y3 = B[b3 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      C[c0 + j] = s00;
      C[c0 + j + 1] = s01;
      C[c0 + j + 2] = s02;
      C[c0 + j + 3] = s03;
      C[c1 + j] = s10;
      C[c1 + j + 1] = s11;
      C[c1 + j + 2] = s12;
      C[c1 + j + 3] = s13;
    }
    for (; j < n; j++) {
      const b0 = j * k;
      let s0 = 0,
        s1 = 0;
      for (let p = 0; p < k; p++) {
        s0 += A[a0 + p] * B[b0 + p];
        s1 += A[a1 + p] * B[b0 + p];
      }
      C[c0 + j] = s0;
      C[c1 + j] = s1;
    }
  }
  for (; i < m; i++) {
    const a0 = i * k,
      c0 = i * n;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[a0 + p] * B[b0 + p];
      C[c0 + j] = s;
    }
  }
}

/** C[m,n] = A[m,k] · B[k,n] (input gradient of a dense layer: δ · W). */
export function gemmNN(
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  m = m | 0;
  n = n | 0;
  k = k | 0;
  if (viaWasm('NN', A, B, C, m, n, k)) return;
  if (m * n * k < SMALL) {
    // Tiny products: the transpose would cost more than it saves; sum in registers instead.
    for (let i = 0; i < m; i++) {
      const a0 = i * k,
        c0 = i * n;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[a0 + p] * B[p * n + j];
        C[c0 + j] = s;
      }
    }
    return;
  }
  const Bt = transposed(B, k, n, 0);
  gemmNT(A, Bt, C, m, n, k);
}

/** C[m,n] = A[k,m]ᵀ · B[k,n] (weight gradient of a dense layer: δᵀ · x). */
export function gemmTN(
  A: TensorData,
  B: TensorData,
  C: TensorData,
  m: number,
  n: number,
  k: number,
): void {
  m = m | 0;
  n = n | 0;
  k = k | 0;
  if (viaWasm('TN', A, B, C, m, n, k)) return;
  if (m * n * k < SMALL) {
    for (let i = 0; i < m; i++) {
      const c0 = i * n;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[p * m + i] * B[p * n + j];
        C[c0 + j] = s;
      }
    }
    return;
  }
  const At = transposed(A, k, m, 0);
  const Bt = transposed(B, k, n, 1);
  gemmNT(At, Bt, C, m, n, k);
}

/** Below this many multiply-adds, products run directly without transposing. */
const SMALL = 1024;

const scratch32: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
const scratch64: Float64Array[] = [new Float64Array(0), new Float64Array(0)];

/** The transpose of X[r,c] in reusable scratch buffer `slot` (valid until the next call). */
function transposed(X: TensorData, r: number, c: number, slot: number): TensorData {
  const n = r * c;
  let T: TensorData;
  if (X instanceof Float64Array) {
    if (scratch64[slot].length < n) scratch64[slot] = new Float64Array(n);
    T = scratch64[slot];
  } else {
    if (scratch32[slot].length < n) scratch32[slot] = new Float32Array(n);
    T = scratch32[slot];
  }
  transposeInto(X, r, c, T);
  return T;
}
