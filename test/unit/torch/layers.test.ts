// Built-in layers that are not a single op (GELU) against PyTorch: forward value and input
// gradient on the tape in float32 and float64, and the fused kernel in float32, which must give
// the tape's bits. The fixtures include extreme inputs (±3e38, ±1e4, ±1e-30, far tails).
import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import { resolveParams } from '../../../core/graph/params';
import { BUILTIN_LAYERS } from '../../../core/layers/builtin';
import type { FusedStep } from '../../../core/layers/fused';
import { runLayer } from '../../../core/layers/run';
import type { DType } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { type LayerCase, loadFixture, toTensor } from './fixtures';
import { FLOAT32_OP, FLOAT64_OP, expectClose } from './tolerance';

const cases = loadFixture<LayerCase>('layers.json');

function tape(c: LayerCase, dtype: DType) {
  const def = BUILTIN_LAYERS[c.layer];
  const { params } = resolveParams(def.params, c.params);
  const x = toTensor(c.input, dtype, true);
  const y = runLayer(
    def,
    [x],
    {},
    {
      node: 'n',
      source: 'builtin',
      params,
      training: true,
      rng: new Rng(0),
      outShape: c.input.shape.slice(1),
      multiInput: false,
    },
  );
  backward(y, { grad: toTensor(c.grad, dtype) });
  return { y, gx: x.grad! };
}

describe('layers against PyTorch', () => {
  it('covers GELU, exact and tanh, with extreme inputs', () => {
    expect(new Set(cases.map((c) => `${c.layer} ${c.params.approximate}`))).toEqual(
      new Set(['GELU none', 'GELU tanh']),
    );
    expect(cases.some((c) => c.input.data.includes(3e38) && c.input.data.includes(-3e38))).toBe(
      true,
    );
  });

  for (const dtype of ['float32', 'float64'] as DType[]) {
    const tol = dtype === 'float32' ? FLOAT32_OP : FLOAT64_OP;
    it.each(cases.map((c) => [c.name, c] as const))(`${dtype}: %s`, (_name, c) => {
      const { y, gx } = tape(c, dtype);
      expect(y.dtype).toBe(dtype);
      expectClose(y, c.out, tol, 'output');
      expectClose(gx, c.inputGrad, tol, 'input gradient');
    });
  }

  it.each(cases.map((c) => [c.name, c] as const))(
    'fused kernel, bit for bit with the tape: %s',
    (_name, c) => {
      const def = BUILTIN_LAYERS[c.layer];
      const { params } = resolveParams(def.params, c.params);
      const { y, gx } = tape(c, 'float32');
      const [batch, ...inShape] = c.input.shape;
      const size = inShape.reduce((p, d) => p * d, 1);
      const step: FusedStep = {
        inShape,
        outShape: inShape,
        params,
        weightShapes: {},
        batch,
        inSize: size,
        outSize: size,
        x: Float32Array.from(c.input.data),
        y: new Float32Array(batch * size).fill(NaN),
        weights: {},
        scratch: null,
        rng: new Rng(0),
        gy: Float32Array.from(c.grad.data),
        gx: new Float32Array(batch * size).fill(NaN),
        grads: {},
      };
      def.fused!.forward(step);
      def.fused!.backward(step);
      expect(Buffer.from(step.y.buffer)).toEqual(Buffer.from(y.data.buffer));
      expect(Buffer.from(step.gx!.buffer)).toEqual(Buffer.from(gx.data.buffer));
    },
  );
});
