import type { TensorData } from '../../tensor/tensor';

// Matrix products over row-major buffers, in the three forms backprop needs.
// C is overwritten. Loops are ordered so the innermost one walks memory contiguously.

/** C[m,n] = A[m,k] · B[n,k]ᵀ (forward of a dense layer: x · Wᵀ). */
export function gemmNT(
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
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = j * k,
        b1 = b0 + k,
        b2 = b1 + k,
        b3 = b2 + k;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let p = 0; p < k; p++) {
        const a = A[a0 + p];
        s0 += a * B[b0 + p];
        s1 += a * B[b1 + p];
        s2 += a * B[b2 + p];
        s3 += a * B[b3 + p];
      }
      C[c0 + j] = s0;
      C[c0 + j + 1] = s1;
      C[c0 + j + 2] = s2;
      C[c0 + j + 3] = s3;
    }
    for (; j < n; j++) {
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
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const a0 = i * k,
      c0 = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[a0 + p];
      if (a === 0) continue; // ReLU makes many local errors exactly zero
      const b0 = p * n;
      for (let j = 0; j < n; j++) C[c0 + j] += a * B[b0 + j];
    }
  }
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
  C.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const c0 = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[p * m + i];
      if (a === 0) continue;
      const b0 = p * n;
      for (let j = 0; j < n; j++) C[c0 + j] += a * B[b0 + j];
    }
  }
}
