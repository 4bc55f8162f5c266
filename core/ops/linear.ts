import { record, tracking } from '../autograd/record';
import { Tensor, type TensorData, allocLike, formatShape } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { gemmNN, gemmNT, gemmTN } from './kernels/gemm';
import { addBiasWasm, columnSumsWasm } from './kernels/vector';

/**
 * y = x · Wᵀ + b, the dense layer in PyTorch's layout (W is [out, in]). Leading dimensions of x
 * are flattened into the batch. Saves x only if W needs a gradient, W only if x does: a frozen
 * layer whose input needs no gradient keeps nothing.
 *
 * @example linear(x, w, b) // x: [batch, 3], w: [4, 3], b: [4] → [batch, 4]
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const inF = x.shape[x.rank - 1];
  if (w.rank !== 2 || w.shape[1] !== inF) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `linear: input has ${inF} features but the weight has shape ${formatShape(w.shape)}`,
    );
  }
  const outF = w.shape[0];
  const rows = (x.size / inF) | 0;
  const Y = allocLike(x, rows * outF);
  linearForward(x.data, w.data, b ? b.data : null, Y, rows, inF, outF);
  const outShape = x.shape.slice();
  outShape[outShape.length - 1] = outF;
  const y = new Tensor(Y, outShape);
  if (tracking(x, w, b)) {
    const needX = x.requiresGrad,
      needW = w.requiresGrad;
    const inputs = b ? [x, w, b] : [x, w];
    // x is kept for W's gradient, W for x's.
    const saved =
      needX && needW
        ? { tensors: [x, w], serves: [[1], [0]] }
        : needW
          ? { tensors: [x], serves: [[1]] }
          : needX
            ? { tensors: [w], serves: [[0]] }
            : [];
    const xShape = x.shape;
    record('linear', inputs, y, saved, ([gy], s, needs) => {
      const G = gy!.data;
      const sx = needW ? s[0] : null;
      const sw = needX ? s[needW ? 1 : 0] : null;
      let gx: Tensor | null = null,
        gw: Tensor | null = null,
        gb: Tensor | null = null;
      if (sw) {
        const GX = allocLike(G, rows * inF);
        gemmNN(G, sw.data, GX, rows, inF, outF);
        gx = new Tensor(GX, xShape.slice());
      }
      if (sx) {
        const GW = allocLike(G, outF * inF);
        gemmTN(G, sx.data, GW, outF, inF, rows);
        gw = new Tensor(GW, [outF, inF]);
      }
      if (b && needs[2]) {
        const GB = allocLike(G, outF);
        biasGrad(G, GB, rows, outF);
        gb = new Tensor(GB, [outF]);
      }
      return b ? [gx, gw, gb] : [gx, gw];
    });
  }
  return y;
}

/** Y[rows, out] = X[rows, in] · Wᵀ + b (the kernel the op and the fused training plan share). */
export function linearForward(
  X: TensorData,
  W: TensorData,
  B: TensorData | null,
  Y: TensorData,
  rows: number,
  inF: number,
  outF: number,
): void {
  gemmNT(X, W, Y, rows, outF, inF);
  if (B && !addBiasWasm(Y, B, rows, outF)) {
    for (let r = 0; r < rows; r++) {
      const o = r * outF;
      for (let j = 0; j < outF; j++) Y[o + j] += B[j];
    }
  }
}

/** GB[out] = Σ over rows of G[rows, out] (GB must start at zero). */
export function biasGrad(G: TensorData, GB: TensorData, rows: number, outF: number): void {
  if (columnSumsWasm(G, GB, rows, outF)) return;
  for (let r = 0; r < rows; r++) {
    const o = r * outF;
    for (let j = 0; j < outF; j++) GB[j] += G[o + j];
  }
}
