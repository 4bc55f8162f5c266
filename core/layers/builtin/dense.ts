import type { OnnxNodeSpec } from '../../export/onnx/plugin-mapping';
import { gemmNN, gemmTN } from '../../ops/kernels/gemm';
import { biasGrad, linearForward } from '../../ops/linear';
import { matrixOf, vectorOf } from '../../import/constants';
import type { OnnxNodeInfo } from '../../import/onnx-read';
import { onlyReader, type ImportContext, type ImportMatch } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import type { FusedStep } from '../fused';
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
  /**
   * Read back: Gemm (A·B with transB or not, alpha, beta, an optional bias C), or MatMul of a
   * constant weight (or a Transpose of one) and, when an Add of a constant is its only reader,
   * that bias (how PyTorch writes a Linear on inputs of any rank, and onnx above on rank > 2).
   * A normalization of the input before it folds into the weights.
   */
  onnxImport: {
    ops: ['Gemm', 'MatMul'],
    match: (node, ctx) =>
      node.opType === 'Gemm' ? gemmImport(node, ctx) : matmulImport(node, ctx),
    foldInput(match, shift, scale) {
      // (x − shift)/scale · Wᵀ + b = x · (W/scale)ᵀ + (b − (W/scale)·shift)
      const w = match.weights!.weight;
      const [units, fan] = w.shape;
      const weight = new Float32Array(units * fan);
      const bias = new Float32Array(units);
      const old = match.weights!.bias?.data;
      for (let o = 0; o < units; o++) {
        let b = old ? old[o] : 0;
        for (let i = 0; i < fan; i++) {
          const v = w.data[o * fan + i] / scale[i];
          weight[o * fan + i] = v;
          b -= v * shift[i];
        }
        bias[o] = b;
      }
      const needsBias = old !== undefined || shift.some((m) => m !== 0);
      return {
        ...match,
        params: { ...match.params, bias: needsBias },
        weights: {
          weight: { shape: [units, fan], data: weight },
          ...(needsBias ? { bias: { shape: [units], data: bias } } : {}),
        },
      };
    },
  },
  pytorch(ctx) {
    const inFeatures = ctx.inShapes[0][ctx.inShapes[0].length - 1];
    const bias = ctx.weights.bias === undefined ? ', bias=False' : '';
    return { module: `nn.Linear(${inFeatures}, ${ctx.params.units as number}${bias})` };
  },
  /** The products the linear op runs, on [batch, in] inputs; evaluation is the same product. */
  fused: {
    fits: ({ inShape }) => inShape.length === 1,
    forward: denseForward,
    evaluate: denseForward,
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

function denseForward(s: FusedStep): void {
  linearForward(s.x, s.weights.weight, s.weights.bias ?? null, s.y, s.batch, s.inSize, s.outSize);
}

function gemmImport(node: OnnxNodeInfo, ctx: ImportContext): ImportMatch {
  const [a, b, c] = node.inputs;
  if (ctx.attr(node, 'transA', 0) !== 0) ctx.refuse(node, 'transA = 1 is not a Dense layer');
  if (ctx.constant(a) !== undefined) ctx.refuse(node, 'its first input is a constant');
  const B = ctx.constant(b);
  if (!B || B.dims.length !== 2) ctx.refuse(node, 'its weight B is not a constant matrix');
  const weight = matrixOf(B, ctx.attr(node, 'transB', 0) !== 0, ctx.attr(node, 'alpha', 1));
  const units = weight.shape[0];
  const match = denseMatch([node], a, node.outputs[0], weight);
  if (c === undefined || c === '') return match;
  const C = ctx.constant(c);
  if (!C) ctx.refuse(node, 'its bias C is not a constant');
  const bias = vectorOf(C, units, ctx.attr(node, 'beta', 1));
  if (!bias) ctx.refuse(node, `its bias has shape [${C.dims.join(', ')}], not [${units}]`);
  return withBias(match, bias);
}

function matmulImport(node: OnnxNodeInfo, ctx: ImportContext): ImportMatch | null {
  const [a, b] = node.inputs;
  const B = ctx.constant(b);
  // A product of two computed values is no layer the engine has.
  if (!B || ctx.constant(a) !== undefined) return null;
  if (B.dims.length !== 2) ctx.refuse(node, 'its weight is not a matrix');
  const weight = matrixOf(B, false, 1);
  const out = node.outputs[0];
  const match = denseMatch([node], a, out, weight);
  // x·W + b: the Add of a constant that is the product's only reader.
  const add = onlyReader(out, 'Add', ctx);
  if (!add) return match;
  const C = ctx.constant(add.inputs[0] === out ? add.inputs[1] : add.inputs[0]);
  const bias = C && vectorOf(C, weight.shape[0], 1);
  if (!bias) return match;
  return { ...withBias(match, bias), nodes: [node, add], output: add.outputs[0] };
}

function denseMatch(
  nodes: OnnxNodeInfo[],
  input: string,
  output: string,
  weight: { shape: number[]; data: Float32Array },
): ImportMatch {
  return {
    nodes,
    inputs: [input],
    output,
    params: { units: weight.shape[0], bias: false },
    weights: { weight },
  };
}

function withBias(match: ImportMatch, bias: Float32Array): ImportMatch {
  return {
    ...match,
    params: { ...match.params, bias: true },
    weights: { ...match.weights, bias: { shape: [bias.length], data: bias } },
  };
}
