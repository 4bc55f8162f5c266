/**
 * Dropout from ONNX: a Dropout node becomes the layer with its ratio (an attribute before opset
 * 12, a constant input after); Identity, which is what an inference export writes for dropout,
 * computes nothing and is passed through.
 */
import type { OnnxImportPattern } from '../pattern';

export const dropoutImport: OnnxImportPattern = {
  ops: ['Dropout'],
  match(node, ctx) {
    const [x, ratio] = node.inputs;
    if (ctx.constant(x) !== undefined) ctx.refuse(node, 'it reads a constant');
    const mask = node.outputs[1];
    if (mask && (ctx.consumers(mask).length > 0 || ctx.isGraphOutput(mask))) {
      ctx.refuse(node, 'its mask output is used');
    }
    let p = ctx.attr(node, 'ratio', 0.5);
    if (ratio) {
      const r = ctx.constant(ratio);
      if (!r || r.data.length !== 1) return ctx.refuse(node, 'its ratio is not a constant');
      p = r.data[0];
    }
    p = Number(Math.fround(p).toPrecision(7));
    if (!(p >= 0 && p <= 0.99)) ctx.refuse(node, `its ratio ${p} is not between 0 and 0.99`);
    return { type: 'Dropout', nodes: [node], inputs: [x], output: node.outputs[0], params: { p } };
  },
};

export const identityImport: OnnxImportPattern = {
  ops: ['Identity'],
  match(node, ctx) {
    if (ctx.constant(node.inputs[0]) !== undefined) return null;
    return { alias: node.inputs[0], output: node.outputs[0], nodes: [node] };
  },
};
