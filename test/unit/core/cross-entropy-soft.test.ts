import { describe, expect, it } from 'vitest';
import { gradcheckOp } from '../../../core/gradcheck';
import { ops } from '../../../core/ops';
import { Tensor } from '../../../core/tensor/tensor';

describe('CrossEntropy with target rows that do not sum to one', () => {
  it('has the gradient of its own value: softmax(z)·Σt − t', () => {
    const z = Tensor.from([0.1, 0.2, 0.7, -0.3, 0.5, 0.05], [2, 3], 'float64');
    const t = Tensor.from([0.2, 0.2, 0.1, 0, 0.7, 0.6], [2, 3], 'float64');
    const r = gradcheckOp(ops.crossEntropy, [z, t], { wrt: [0], name: 'crossEntropy' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});
