import type { Dataset } from '../data/dataset';
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
  const X = new Float32Array(b * ds.inDim);
  const Y = new Float32Array(b * ds.yDim);
  for (let r = 0; r < b; r++) {
    const i = order[start + r];
    X.set(ds.x.subarray(i * ds.inDim, (i + 1) * ds.inDim), r * ds.inDim);
    Y.set(ds.y.subarray(i * ds.yDim, (i + 1) * ds.yDim), r * ds.yDim);
  }
  return { x: new Tensor(X, [b, ...inShape]), y: new Tensor(Y, targetShape(b)) };
}
