import { Tensor, allocLike } from '../tensor/tensor';

/** y = f(x) elementwise, in x's dtype. */
export function map(x: Tensor, f: (v: number) => number): Tensor {
  const X = x.data;
  const o = allocLike(x, X.length);
  for (let i = 0; i < o.length; i++) o[i] = f(X[i]);
  return new Tensor(o, x.shape.slice());
}

/** f(a[i], b[i]) for two tensors of the same size (no broadcasting). */
export function map2(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const A = a.data,
    B = b.data;
  const o = allocLike(a, A.length);
  for (let i = 0; i < o.length; i++) o[i] = f(A[i], B[i]);
  return new Tensor(o, a.shape.slice());
}
