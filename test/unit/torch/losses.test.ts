// Each loss against PyTorch's default (mean) reduction: value and gradient w.r.t. the prediction.
import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import { LOSSES, type LossType } from '../../../core/losses';
import { ops } from '../../../core/ops';
import { type DType, Tensor } from '../../../core/tensor/tensor';
import { type LossCase, loadFixture, toTensor } from './fixtures';
import {
  FLOAT32_OP,
  FLOAT64_OP,
  type Tolerance,
  expectClose,
  expectNumberClose,
} from './tolerance';

const OPS: Record<LossType, (pred: Tensor, target: Tensor) => Tensor> = {
  BCE: ops.bce,
  BCEWithLogits: ops.bceWithLogits,
  MSE: ops.mse,
  CrossEntropy: ops.crossEntropy,
};

const cases = loadFixture<LossCase>('losses.json');

/**
 * Where ŷ(1 − ŷ) is below BCE's clamp, torch divides by its EPSILON, which is the float32 value
 * of 1e-12 (relatively 4e-9 above it) even in float64; ours divides by 1e-12 itself.
 */
const SATURATED = 'BCE saturated probabilities';
const SATURATED_64: Tolerance = { atol: 1e-12, rtol: 1e-8 };

/** Run a loss case with `target` (possibly reshaped); returns the loss and the prediction. */
function runLoss(c: LossCase, dtype: DType, targetShape = c.target.shape) {
  const pred = toTensor(c.pred, dtype, true);
  const target = toTensor({ shape: targetShape, data: c.target.data }, dtype);
  const loss = OPS[c.loss](pred, target);
  // The upstream gradient is a float32 value too (see toTensor).
  backward(loss, { grad: Tensor.from([Math.fround(c.grad)], [], dtype) });
  return { loss, pred };
}

describe('losses against PyTorch', () => {
  it('the project-file loss table holds the same functions as ops', () => {
    for (const type of Object.keys(OPS) as LossType[]) expect(LOSSES[type]).toBe(OPS[type]);
  });

  it('every loss type has fixtures', () => {
    expect(new Set(cases.map((c) => c.loss))).toEqual(new Set(Object.keys(OPS)));
  });

  for (const dtype of ['float32', 'float64'] as DType[]) {
    describe(dtype, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const tol =
          dtype === 'float32' ? FLOAT32_OP : c.name === SATURATED ? SATURATED_64 : FLOAT64_OP;
        const { loss, pred } = runLoss(c, dtype);
        expect(loss.shape).toEqual([]);
        expectNumberClose(loss.data[0], c.value, tol, 'loss');
        expectClose(pred.grad, c.predGrad, tol, 'gradient w.r.t. the prediction');
      });
    });
  }

  it('CrossEntropy takes class indices as [n, 1] just like [n]', () => {
    const c = cases.find((k) => k.name === 'CrossEntropy class indices')!;
    const { loss, pred } = runLoss(c, 'float32', [c.target.shape[0], 1]);
    expectNumberClose(loss.data[0], c.value, FLOAT32_OP, 'loss');
    expectClose(pred.grad, c.predGrad, FLOAT32_OP, 'gradient w.r.t. the prediction');
  });
});
