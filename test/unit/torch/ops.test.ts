// Every op in core/ops against PyTorch: forward value and input gradients for a random upstream
// gradient, in float32 (the training dtype) and in float64 (the gradient-check dtype).
import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import { ops } from '../../../core/ops';
import type { DType, Tensor } from '../../../core/tensor/tensor';
import { type LossCase, type OpArgs, type OpCase, loadFixture, toTensor } from './fixtures';
import { FLOAT32_OP, FLOAT64_OP, expectClose } from './tolerance';

type Run = (xs: Tensor[], args: OpArgs) => Tensor;
const binary =
  (f: (a: Tensor, b: Tensor) => Tensor): Run =>
  ([a, b]) =>
    f(a, b);
const unary =
  (f: (x: Tensor) => Tensor): Run =>
  ([x]) =>
    f(x);

/** How each fixture op is called on our side. */
const RUN: Record<string, Run> = {
  add: binary(ops.add),
  sub: binary(ops.sub),
  mul: binary(ops.mul),
  div: binary(ops.div),
  matmul: ([a, b], o) => ops.matmul(a, b, { transA: o.transA, transB: o.transB }),
  linear: ([x, w, b]) => ops.linear(x, w, b ?? null),
  sigmoid: unary(ops.sigmoid),
  tanh: unary(ops.tanh),
  relu: unary(ops.relu),
  leakyRelu: ([x], o) => (o.slope === undefined ? ops.leakyRelu(x) : ops.leakyRelu(x, o.slope)),
  exp: unary(ops.exp),
  log: unary(ops.log),
  square: unary(ops.square),
  softmax: unary(ops.softmax),
  logSoftmax: unary(ops.logSoftmax),
  transpose: unary(ops.transpose),
  neg: unary(ops.neg),
  scale: ([x], o) => ops.scale(x, o.c!),
  addScalar: ([x], o) => ops.addScalar(x, o.c!),
  sum: ([x], o) => ops.sum(x, o.axis, o.keepDims ?? false),
  mean: ([x], o) => ops.mean(x, o.axis, o.keepDims ?? false),
  concat: (xs, o) => ops.concat(xs, o.axis),
  reshape: ([x], o) => ops.reshape(x, o.shape!),
};

const cases = loadFixture<OpCase>('ops.json');
const lossCases = loadFixture<LossCase>('losses.json');

describe('ops against PyTorch', () => {
  it('has a fixture for every op in the ops object', () => {
    const covered = new Set([...cases.map((c) => c.op), ...lossCases.map((c) => lossOp(c.loss))]);
    // Dropout draws its mask from our own generator, which torch cannot reproduce.
    const missing = Object.keys(ops).filter((op) => op !== 'dropout' && !covered.has(op));
    expect(missing).toEqual([]);
    expect(Object.keys(RUN).filter((op) => !(op in ops))).toEqual([]);
  });

  for (const dtype of ['float32', 'float64'] as DType[]) {
    const tol = dtype === 'float32' ? FLOAT32_OP : FLOAT64_OP;
    describe(dtype, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const xs = c.inputs.map((t, i) => toTensor(t, dtype, c.needs[i]));
        const y = RUN[c.op](xs, c.args);
        expect(y.dtype).toBe(dtype);
        expectClose(y, c.out, tol, 'output');
        backward(y, { grad: toTensor(c.grad, dtype) });
        xs.forEach((x, i) => {
          const want = c.inputGrads[i];
          if (want) expectClose(x.grad, want, tol, `gradient of input ${i}`);
          else expect(x.grad, `input ${i} needs no gradient`).toBeNull();
        });
      });
    });
  }
});

function lossOp(loss: LossCase['loss']): string {
  return { BCE: 'bce', BCEWithLogits: 'bceWithLogits', MSE: 'mse', CrossEntropy: 'crossEntropy' }[
    loss
  ];
}
