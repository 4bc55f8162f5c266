/**
 * The built-in layers in ONNX, written against the same contract as a plugin's `onnx(ctx)`.
 * The Input layer is the graph input itself, so it has no mapping.
 */
import type { OnnxMapping, OnnxMappingContext, OnnxNodeSpec } from './plugin-mapping';

const unary =
  (op: string): OnnxMapping =>
  (ctx) => [{ op, inputs: [ctx.inputs[0]], outputs: [ctx.output] }];

/**
 * Dense on [batch, in] is one Gemm with transB (the weight stays in its [out, in] layout). On
 * inputs of higher rank Gemm does not apply, so: Transpose of the weight, MatMul (which
 * broadcasts over leading axes), then Add of the bias. Flattening first would mix features of
 * different positions, which is not what the layer computes.
 */
function dense(ctx: OnnxMappingContext): OnnxNodeSpec[] {
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
}

/** ONNX Add takes two inputs: a sum of n is a chain, in the order the engine adds. */
function add(ctx: OnnxMappingContext): OnnxNodeSpec[] {
  const nodes: OnnxNodeSpec[] = [];
  let sum = ctx.inputs[0];
  for (let i = 1; i < ctx.inputs.length; i++) {
    const last = i === ctx.inputs.length - 1;
    const out = last ? ctx.output : ctx.value(`sum${i}`);
    nodes.push({
      op: 'Add',
      inputs: [sum, ctx.inputs[i]],
      outputs: [out],
      ...(last ? {} : { name: `add${i}` }),
    });
    sum = out;
  }
  return nodes;
}

export const BUILTIN_ONNX: Record<string, OnnxMapping> = {
  Dense: dense,
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  ReLU: unary('Relu'),
  LeakyReLU: (ctx) => [
    {
      op: 'LeakyRelu',
      inputs: [ctx.inputs[0]],
      outputs: [ctx.output],
      attributes: { alpha: { float: ctx.params.slope as number } },
    },
  ],
  Softmax: (ctx) => [
    {
      op: 'Softmax',
      inputs: [ctx.inputs[0]],
      outputs: [ctx.output],
      attributes: { axis: { int: -1 } },
    },
  ],
  Add: add,
  Concat: (ctx) => [
    {
      op: 'Concat',
      inputs: [...ctx.inputs],
      outputs: [ctx.output],
      attributes: { axis: { int: -1 } },
    },
  ],
  // Exported for inference: dropout is the identity outside training.
  Dropout: unary('Identity'),
};
