import type { TensorCheck } from './types';

/** Row-major flat index → multi-index. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/**
 * Compare analytic and numeric gradients element by element with PyTorch's criterion
 * |a − n| <= atol + rtol·|n|. A NaN or infinity anywhere fails the tensor.
 */
export function compareGradients(
  name: string,
  shape: number[],
  analytic: ArrayLike<number>,
  numeric: ArrayLike<number>,
  atol: number,
  rtol: number,
): TensorCheck {
  let ok = true;
  let maxAbs = 0,
    maxRel = 0;
  let worstAt = 0,
    worstRatio = -1;
  for (let i = 0; i < numeric.length; i++) {
    const a = analytic[i],
      n = numeric[i];
    const err = Math.abs(a - n);
    const bound = atol + rtol * Math.abs(n);
    const finite = Number.isFinite(err);
    // An error of exactly 0 within a zero bound (atol = rtol = 0) still passes.
    const ratio = finite ? (err === 0 ? 0 : bound > 0 ? err / bound : Infinity) : Infinity;
    if (!finite || err > bound) ok = false;
    const rel = err === 0 ? 0 : err / Math.max(Math.abs(n), atol, Number.MIN_VALUE);
    maxAbs = finite ? Math.max(maxAbs, err) : Infinity;
    maxRel = finite ? Math.max(maxRel, rel) : Infinity;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worstAt = i;
    }
  }
  const worst =
    numeric.length > 0
      ? { index: unravel(worstAt, shape), analytic: analytic[worstAt], numeric: numeric[worstAt] }
      : { index: [], analytic: 0, numeric: 0 };
  return { name, shape: shape.slice(), ok, maxAbsError: maxAbs, maxRelError: maxRel, worst };
}
