// Every loss at extreme values (logit gaps of 100, 1,000 and 10,000, probabilities of exactly 0
// and 1, errors of 1e18) against PyTorch in float32, through the tape op and through the fused
// plan's kernels — one definition. The cross-entropies give torch's float32 value exactly. MSE's
// mean and the gradients are correctly rounded here, while torch rounds its float32 sums and exp
// along the way: they agree within two float32 ulps (a sure class's gradient is 0 in both).
import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import { LOSS_DEFINITIONS } from '../../../core/losses';
import { softmaxForward } from '../../../core/ops/softmax';
import { Tensor } from '../../../core/tensor/tensor';
import type { LossType } from '../../../core/losses';
import { type FixtureTensor, loadFixture, toTensor } from './fixtures';
import { type Tolerance, expectClose, expectNumberClose } from './tolerance';

interface ExtremeCase {
  name: string;
  loss: LossType;
  pred: FixtureTensor;
  target: FixtureTensor;
  /** torch's float32 loss, for an upstream gradient of 1. */
  value: number;
  predGrad: FixtureTensor;
}

const cases = loadFixture<ExtremeCase>('losses-extreme.json');

/** Two float32 ulps (2 · 2⁻²³ relative), and nothing at the scale of subnormal numbers. */
const TWO_ULPS: Tolerance = { atol: 1e-37, rtol: 2.4e-7 };

/** The fixture writes each float32 as its shortest decimal: read it back as that float32. */
const f32 = (t: FixtureTensor): FixtureTensor => ({
  shape: t.shape,
  data: Array.from(Float32Array.from(t.data)),
});

function expectValue(got: number, c: ExtremeCase): void {
  if (c.loss === 'MSE') expectNumberClose(got, Math.fround(c.value), TWO_ULPS, 'loss');
  else expect(got).toBe(Math.fround(c.value));
}

describe('losses at extreme values, against PyTorch in float32', () => {
  it('covers every loss and the logit gaps 100, 1,000 and 10,000', () => {
    expect(new Set(cases.map((c) => c.loss))).toEqual(new Set(Object.keys(LOSS_DEFINITIONS)));
    for (const gap of ['100', '1000', '10000']) {
      for (const kind of ['class indices', 'one-hot'])
        expect(cases.some((c) => c.name === `CrossEntropy ${kind}, logit gap ${gap}`)).toBe(true);
    }
    // Finite logits, so a finite loss, however far apart: the old −log(softmax) gave ∞ here.
    for (const c of cases) expect(Number.isFinite(c.value), c.name).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('tape: %s', (_name, c) => {
    const pred = toTensor(c.pred, 'float32', true);
    const loss = LOSS_DEFINITIONS[c.loss].op(pred, toTensor(c.target));
    backward(loss, { grad: Tensor.from([1], [], 'float32') });
    expectValue(loss.data[0], c);
    expectClose(pred.grad, f32(c.predGrad), TWO_ULPS, 'gradient');
  });

  it.each(cases.map((c) => [c.name, c] as const))('fused kernels: %s', (_name, c) => {
    const def = LOSS_DEFINITIONS[c.loss];
    const P = Float32Array.from(c.pred.data);
    const Y = Float32Array.from(c.target.data);
    const S = new Float32Array(def.scratchSize(P.length));
    const G = new Float32Array(P.length);
    const rows = c.pred.shape[0];
    expectValue(Math.fround(def.forward(P, Y, S, rows)), c);
    def.backward(P, Y, S, 1, rows, G);
    expectClose({ shape: c.pred.shape, data: G }, f32(c.predGrad), TWO_ULPS, 'gradient');
    for (let i = 0; i < G.length; i++)
      if (c.predGrad.data[i] === 0) expect(Math.abs(G[i])).toBeLessThan(1e-37);
  });

  it('CrossEntropy keeps for backward exactly the softmax the Softmax layer computes', () => {
    for (const c of cases.filter((k) => k.loss === 'CrossEntropy')) {
      const P = Float32Array.from(c.pred.data);
      const k = c.pred.shape[1];
      const S = new Float32Array(P.length),
        want = new Float32Array(P.length);
      LOSS_DEFINITIONS.CrossEntropy.forward(P, Float32Array.from(c.target.data), S, P.length / k);
      softmaxForward(P, want, k);
      expect(S).toEqual(want);
    }
  });

  it('the issue’s examples: [100, −100] with class 1 is 200, [50, −50] is 100', () => {
    const ce = LOSS_DEFINITIONS.CrossEntropy.op;
    expect(ce(Tensor.from([100, -100], [1, 2]), Tensor.from([1], [1])).data[0]).toBe(200);
    expect(ce(Tensor.from([50, -50], [1, 2]), Tensor.from([1], [1])).data[0]).toBe(100);
  });
});
