import { Tensor, allocLike, formatShape, sameShape, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';

/** NumPy broadcasting of two shapes; throws with both shapes named when they do not fit. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new LabError(
        'SHAPE_MISMATCH',
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` seen from `outShape`: 0 along broadcast dimensions. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const j = outShape.length - shape.length + i;
    strides[j] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Elementwise f(a, b) with broadcasting. Fast paths for equal shapes, a scalar, and a trailing
 * row (bias-style) operand; everything else goes through strides.
 */
export function zipWith(
  op: string,
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
): Tensor {
  const A = a.data,
    B = b.data;
  if (sameShape(a.shape, b.shape)) {
    const o = allocLike(a, A.length);
    for (let i = 0; i < o.length; i++) o[i] = f(A[i], B[i]);
    return new Tensor(o, a.shape.slice());
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const n = sizeOf(shape);
  const o = allocLike(a, n);
  if (B.length === 1) {
    const y = B[0];
    for (let i = 0; i < n; i++) o[i] = f(A[i % A.length], y);
    return new Tensor(o, shape);
  }
  if (A.length === n && isTrailing(b.shape, shape)) {
    const m = B.length;
    for (let i = 0; i < n; i++) o[i] = f(A[i], B[i % m]);
    return new Tensor(o, shape);
  }
  const sa = broadcastStrides(a.shape, shape),
    sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(shape.length).fill(0);
  let ia = 0,
    ib = 0;
  for (let i = 0; i < n; i++) {
    o[i] = f(A[ia], B[ib]);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
  return new Tensor(o, shape);
}

/** True when `small`, less its leading ones, equals the trailing dimensions of `big`. */
function isTrailing(small: readonly number[], big: readonly number[]): boolean {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const rest = small.length - s;
  if (rest > big.length) return false;
  for (let i = 1; i <= rest; i++) {
    if (small[small.length - i] !== big[big.length - i]) return false;
  }
  return true;
}

/**
 * Sum a gradient of the broadcast shape back down to `shape`: the one place where gradient
 * reduction for broadcasting happens.
 */
export function reduceTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const n = sizeOf(shape);
  const o = allocLike(g, n);
  const G = g.data;
  if (isTrailing(shape, g.shape)) {
    for (let i = 0; i < G.length; i++) o[i % n] += G[i];
    return new Tensor(o, shape.slice());
  }
  const strides = broadcastStrides(shape, g.shape);
  const idx = new Array<number>(g.shape.length).fill(0);
  let j = 0;
  for (let i = 0; i < G.length; i++) {
    o[j] += G[i];
    for (let d = g.shape.length - 1; d >= 0; d--) {
      idx[d]++;
      j += strides[d];
      if (idx[d] < g.shape[d]) break;
      j -= strides[d] * g.shape[d];
      idx[d] = 0;
    }
  }
  return new Tensor(o, shape.slice());
}
