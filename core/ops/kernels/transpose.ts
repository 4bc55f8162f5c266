/** A writable numeric buffer (Float32Array, Float64Array). */
type Buffer = { [i: number]: number; length: number };

/**
 * dst[off + c·stride + r] = src[r·cols + c] for the [rows, cols] matrix src: a transpose in
 * tiles, so that neither side walks memory with a large stride for long. With stride = rows it
 * is the plain transpose; the SIMD kernel uses a wider stride to pad rows for its blocks.
 */
export function transposeInto(
  src: ArrayLike<number>,
  rows: number,
  cols: number,
  dst: Buffer,
  off = 0,
  stride = rows,
): void {
  const T = 16;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const s = r * cols;
        for (let c = c0; c < c1; c++) dst[off + c * stride + r] = src[s + c];
      }
    }
  }
}
