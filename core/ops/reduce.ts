import { record, tracking } from '../autograd/record';
import { Tensor, allocLike, formatShape } from '../tensor/tensor';
import { LabError } from '../util/errors';

/**
 * Sum of all values (axis undefined, result shape []) or along one axis.
 * Saves nothing: the gradient is spread back unchanged.
 *
 * @example sum(x, 1, true) // [n, k] → [n, 1]
 */
export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  return reduceOp('sum', x, axis, keepDims, 1);
}

/** Mean of all values or along one axis. Saves nothing. */
export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  const count = axis === undefined ? x.size : x.shape[normAxis(x, axis)];
  return reduceOp('mean', x, axis, keepDims, 1 / count);
}

function normAxis(x: Tensor, axis: number): number {
  const a = axis < 0 ? x.rank + axis : axis;
  if (a < 0 || a >= x.rank)
    throw new LabError(
      'SHAPE_MISMATCH',
      `axis ${axis} is out of range for ${formatShape(x.shape)}`,
    );
  return a;
}

function reduceOp(
  name: string,
  x: Tensor,
  axis: number | undefined,
  keepDims: boolean,
  factor: number,
): Tensor {
  const X = x.data;
  const inShape = x.shape;
  if (axis === undefined) {
    let s = 0;
    for (let i = 0; i < X.length; i++) s += X[i];
    const o = allocLike(x, 1);
    o[0] = s * factor;
    const y = new Tensor(o, keepDims ? inShape.map(() => 1) : []);
    if (tracking(x)) {
      record(name, [x], y, [], ([gy]) => {
        const g = gy!.data[0] * factor;
        const gx = allocLike(gy!, X.length).fill(g);
        return [new Tensor(gx, inShape.slice())];
      });
    }
    return y;
  }
  const a = normAxis(x, axis);
  const outer = inShape.slice(0, a).reduce((p, d) => p * d, 1);
  const len = inShape[a];
  const inner = inShape.slice(a + 1).reduce((p, d) => p * d, 1);
  const o = allocLike(x, outer * inner);
  for (let i = 0; i < outer; i++)
    for (let r = 0; r < len; r++) {
      const src = (i * len + r) * inner,
        dst = i * inner;
      for (let j = 0; j < inner; j++) o[dst + j] += X[src + j];
    }
  if (factor !== 1) for (let i = 0; i < o.length; i++) o[i] *= factor;
  const outShape = keepDims
    ? inShape.map((d, i) => (i === a ? 1 : d))
    : inShape.filter((_, i) => i !== a);
  const y = new Tensor(o, outShape);
  if (tracking(x)) {
    record(name, [x], y, [], ([gy]) => {
      const G = gy!.data;
      const gx = allocLike(G, X.length);
      for (let i = 0; i < outer; i++)
        for (let r = 0; r < len; r++) {
          const dst = (i * len + r) * inner,
            src = i * inner;
          for (let j = 0; j < inner; j++) gx[dst + j] = G[src + j] * factor;
        }
      return [new Tensor(gx, inShape.slice())];
    });
  }
  return y;
}
