import type { OnnxNodeSpec } from '../../export/onnx/plugin-mapping';
import { gemmNN, gemmTN } from '../../ops/kernels/gemm';
import { biasGrad, linearForward } from '../../ops/linear';
import type { LayerDefinition } from '../contract';
import { single } from './single';

/**
 * y = x · Wᵀ + b with W of shape [units, in] and PyTorch's nn.Linear initialisation
 * (both W and b uniform in ±1/√in). Backward by autograd: the linear op saves x only when W
 * needs a gradient and W only when x does, so a frozen Dense over frozen layers keeps nothing.
 */
export default {
  type: 'Dense',
  category: 'Layers',
  description: 'Fully connected: y = x·Wᵀ + b',
  params: {
    units: { type: 'int', default: 8, min: 1, description: 'output features' },
    bias: { type: 'boolean', default: true, description: 'add a learnable bias' },
  },
  build({ inShapes, params }) {
    const inShape = inShapes[0];
    const fanIn = inShape[inShape.length - 1];
    const units = params.units as number;
    const bound = 1 / Math.sqrt(fanIn);
    const init = { uniform: [-bound, bound] as [number, number] };
    return {
      outShape: [...inShape.slice(0, -1), units],
      weights: {
        weight: { shape: [units, fanIn], init },
        ...(params.bias ? { bias: { shape: [units], init } } : {}),
      },
    };
  },
  forward: (ctx, x, w) => ctx.ops.linear(single(x), w.weight, w.bias ?? null),
  /**
   * On [batch, in] one Gemm with transB (the weight stays in its [out, in] layout). On inputs of
   * higher rank Gemm does not apply, so: Transpose of the weight, MatMul (which broadcasts over
   * leading axes), then Add of the bias. Flattening first would mix features of different
   * positions, which is not what the layer computes.
   */
  onnx(ctx) {
    const { weight, bias } = ctx.weights;
    const x = ctx.inputs[0];
    if (ctx.inShapes[0].length === 1) {
      const inputs = bias === undefined ? [x, weight] : [x, weight, bias];
      return [{ op: 'Gemm', inputs, outputs: [ctx.output], attributes: { transB: { int: 1 } } }];
    }
    const wt = ctx.value('weight_t');
    const transpose: OnnxNodeSpec = {
      op: 'Transpose',
      inputs: [weight],
      outputs: [wt],
      attributes: { perm: { ints: [1, 0] } },
      name: 'transpose',
    };
    if (bias === undefined)
      return [transpose, { op: 'MatMul', inputs: [x, wt], outputs: [ctx.output] }];
    const product = ctx.value('matmul');
    return [
      transpose,
      { op: 'MatMul', inputs: [x, wt], outputs: [product], name: 'matmul' },
      { op: 'Add', inputs: [product, bias], outputs: [ctx.output] },
    ];
  },
  pytorch(ctx) {
    const inFeatures = ctx.inShapes[0][ctx.inShapes[0].length - 1];
    const bias = ctx.weights.bias === undefined ? ', bias=False' : '';
    return { module: `nn.Linear(${inFeatures}, ${ctx.params.units as number}${bias})` };
  },
  /** The products the linear op runs, on [batch, in] inputs. */
  fused: {
    fits: ({ inShape }) => inShape.length === 1,
    forward: (s) =>
      linearForward(
        s.x,
        s.weights.weight,
        s.weights.bias ?? null,
        s.y,
        s.batch,
        s.inSize,
        s.outSize,
      ),
    backward(s) {
      const gw = s.grads.weight;
      const gb = s.grads.bias ?? null;
      if (s.gx) gemmNN(s.gy, s.weights.weight, s.gx, s.batch, s.inSize, s.outSize);
      if (gw) gemmTN(s.gy, s.x, gw, s.outSize, s.inSize, s.batch);
      if (gb) {
        gb.fill(0);
        biasGrad(s.gy, gb, s.batch, s.outSize);
      }
    },
  },
  lab: {
    linear: { weight: 'weight' },
    forward: (c) => ({
      title: `Dense layer ${c.k}: weights times the layer below, plus bias`,
      formula: `${c.out} = W${c.sup} ${c.ins[0]}${c.weights.includes('bias') ? ` + b${c.sup}` : ''}`,
      ...(c.frozen ? { note: 'frozen: its weights will not be updated' } : {}),
    }),
    backward: (c) => ({
      title: `Dense layer ${c.k}: blame flows back through the weights`,
      formula: `${c.inDeltas[0]} = W${c.sup}ᵀ ${c.delta}`,
      more: c.frozen
        ? [`frozen: no ∂L/∂W${c.sup} is computed`]
        : [
            `∂L/∂W${c.sup} = ${c.delta} ${c.ins[0]}ᵀ   (summed over the batch)`,
            ...(c.weights.includes('bias')
              ? [`∂L/∂b${c.sup} = Σ ${c.delta}   (over the batch)`]
              : []),
          ],
    }),
  },
} satisfies LayerDefinition;
