import type { Dataset } from '../data/dataset';
import { arenaState } from '../tensor/arena';
import { Tensor } from '../tensor/tensor';

/** Copy the rows `order[start..end)` of a data set into a batch of inputs and targets. */
export function gatherBatch(
  ds: Dataset,
  order: ArrayLike<number>,
  start: number,
  end: number,
  inShape: number[],
  targetShape: (b: number) => number[],
): { x: Tensor; y: Tensor } {
  const b = end - start;
  return {
    x: new Tensor(gatherRows(ds.x, ds.inDim, order, start, b), [b, ...inShape]),
    y: new Tensor(gatherRows(ds.y, ds.yDim, order, start, b), targetShape(b)),
  };
}

/** Rows `order[start..start+b)` of a [n, width] matrix, into `out` (or a new buffer). */
export function gatherRows(
  src: Float32Array,
  width: number,
  order: ArrayLike<number>,
  start: number,
  b: number,
  out: Float32Array = arenaState.current?.f32(b * width) ?? new Float32Array(b * width),
): Float32Array {
  if (width > 32) {
    for (let r = 0; r < b; r++) {
      const i = order[start + r];
      out.set(src.subarray(i * width, (i + 1) * width), r * width);
    }
    return out;
  }
  // Narrow rows: a plain loop beats creating a view per row.
  for (let r = 0; r < b; r++) {
    const s = order[start + r] * width,
      d = r * width;
    for (let j = 0; j < width; j++) out[d + j] = src[s + j];
  }
  return out;
}
