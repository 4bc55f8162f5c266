import { record, tracking } from '../autograd/record';
import { Tensor, allocLike, formatShape } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { gemmNN, gemmNT, gemmTN } from './kernels/gemm';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * 2-D matrix product op(A) · op(B), where op transposes when asked. Saves A only if B needs a
 * gradient and B only if A does.
 *
 * @example matmul(x, w, { transB: true }) // x · wᵀ
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const tA = !!opts.transA,
    tB = !!opts.transB;
  if (a.rank !== 2 || b.rank !== 2) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `matmul needs 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  if (tA && tB) return transpose(matmul(b, a)); // Aᵀ·Bᵀ = (B·A)ᵀ
  const m = tA ? a.shape[1] : a.shape[0];
  const k = tA ? a.shape[0] : a.shape[1];
  const kb = tB ? b.shape[1] : b.shape[0];
  const n = tB ? b.shape[0] : b.shape[1];
  if (k !== kb) {
    throw new LabError(
      'SHAPE_MISMATCH',
      `matmul: inner sizes differ (${formatShape(a.shape)}${tA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${tB ? 'ᵀ' : ''})`,
    );
  }
  const y = new Tensor(product(a.data, b.data, m, n, k, tA, tB), [m, n]);
  if (tracking(a, b)) {
    const needA = a.requiresGrad,
      needB = b.requiresGrad;
    // Each operand is kept for the other's gradient.
    const saved =
      needA && needB
        ? { tensors: [a, b], serves: [[1], [0]] }
        : needA
          ? { tensors: [b], serves: [[0]] }
          : { tensors: [a], serves: [[1]] };
    record('matmul', [a, b], y, saved, ([gy], s) => {
      const A = needB ? s[0] : null;
      const B = needA ? s[needB ? 1 : 0] : null;
      const g = gy!;
      let ga: Tensor | null = null,
        gb: Tensor | null = null;
      if (B) {
        // y = A·B → gA = g·Bᵀ;  y = A·Bᵀ → gA = g·B;  y = Aᵀ·B → gA = B·gᵀ
        if (!tA) ga = new Tensor(product(g.data, B.data, m, k, n, false, !tB), [m, k]);
        else ga = new Tensor(product(B.data, g.data, k, m, n, false, true), [k, m]);
      }
      if (A) {
        // y = A·B → gB = Aᵀ·g;  y = A·Bᵀ → gB = gᵀ·A;  y = Aᵀ·B → gB = A·g
        if (tB) gb = new Tensor(product(g.data, A.data, n, k, m, true, false), [n, k]);
        else if (!tA) gb = new Tensor(product(A.data, g.data, k, n, m, true, false), [k, n]);
        else gb = new Tensor(product(A.data, g.data, k, n, m, false, false), [k, n]);
      }
      return [ga, gb];
    });
  }
  return y;
}

function product(
  A: Tensor['data'],
  B: Tensor['data'],
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
): Tensor['data'] {
  const C = allocLike(A, m * n);
  if (!tA && tB) gemmNT(A, B, C, m, n, k);
  else if (!tA && !tB) gemmNN(A, B, C, m, n, k);
  else if (tA && !tB) gemmTN(A, B, C, m, n, k);
  else throw new Error('product: both transposed');
  return C;
}

/** The transpose of a 2-D tensor (a copy). Saves nothing. */
export function transpose(x: Tensor): Tensor {
  if (x.rank !== 2)
    throw new LabError(
      'SHAPE_MISMATCH',
      `transpose needs a 2-D tensor, got ${formatShape(x.shape)}`,
    );
  const y = new Tensor(transposeData(x.data, x.shape[0], x.shape[1]), [x.shape[1], x.shape[0]]);
  if (tracking(x)) record('transpose', [x], y, [], ([gy]) => [transpose(gy!)]);
  return y;
}

function transposeData(X: Tensor['data'], r: number, c: number): Tensor['data'] {
  const o = allocLike(X, r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) o[j * r + i] = X[i * c + j];
  return o;
}
