/** The activations from ONNX, each one node: Sigmoid, Tanh, Relu, LeakyRelu (alpha), Softmax. */
import type { OnnxNodeInfo } from '../onnx-read';
import {
  normalAxis,
  soleVariableInput,
  type ImportContext,
  type LayerMatch,
  type OnnxImportPattern,
} from '../pattern';

function unary(node: OnnxNodeInfo, ctx: ImportContext, type: string): LayerMatch {
  const x = soleVariableInput(node, ctx);
  if (x === undefined || node.inputs.length !== 1) ctx.refuse(node, 'it reads a constant');
  return { type, nodes: [node], inputs: [x], output: node.outputs[0] };
}

const plain = (op: string, type: string): OnnxImportPattern => ({
  ops: [op],
  match: (node, ctx) => unary(node, ctx, type),
});

export const sigmoidImport = plain('Sigmoid', 'Sigmoid');
export const tanhImport = plain('Tanh', 'Tanh');
export const reluImport = plain('Relu', 'ReLU');

export const leakyReluImport: OnnxImportPattern = {
  ops: ['LeakyRelu'],
  match(node, ctx) {
    // Read back as the float32 the attribute holds, written as its shortest decimal.
    const slope = Number(Math.fround(ctx.attr(node, 'alpha', 0.01)).toPrecision(7));
    return { ...unary(node, ctx, 'LeakyReLU'), params: { slope } };
  },
};

export const softmaxImport: OnnxImportPattern = {
  ops: ['Softmax'],
  match(node, ctx) {
    // Before opset 13 the default axis is 1 (over the flattened trailing axes).
    const axis = normalAxis(ctx.attr(node, 'axis', ctx.opset >= 13 ? -1 : 1), ctx.rank);
    if (axis !== ctx.rank - 1) {
      ctx.refuse(node, `axis ${axis} is not the last axis (the engine's Softmax is over the last)`);
    }
    return unary(node, ctx, 'Softmax');
  },
};
