/**
 * Add (of computed values) and Concat (along the last axis) from ONNX. ONNX's Add takes two
 * inputs: a chain ((a + b) + c), as the engine writes a sum of three, is one Add of three again,
 * in the same order, so that it sums exactly as before.
 */
import type { OnnxNodeInfo } from '../onnx-read';
import { normalAxis, type ImportContext, type OnnxImportPattern } from '../pattern';

export const addImport: OnnxImportPattern = {
  ops: ['Add'],
  match(node, ctx) {
    refuseConstant(node, ctx);
    const nodes = [node];
    const inputs = node.inputs.slice();
    let out = node.outputs[0];
    for (;;) {
      const readers = ctx.consumers(out);
      const next = readers[0];
      if (readers.length !== 1 || ctx.isGraphOutput(out) || next.opType !== 'Add') break;
      if (next.inputs[0] !== out || next.inputs[1] === out) break;
      if (ctx.constant(next.inputs[1]) !== undefined) break;
      nodes.push(next);
      inputs.push(next.inputs[1]);
      out = next.outputs[0];
    }
    return { type: 'Add', nodes, inputs, output: out };
  },
};

function refuseConstant(node: OnnxNodeInfo, ctx: ImportContext): void {
  if (node.inputs.some((v) => ctx.constant(v) !== undefined)) {
    ctx.refuse(
      node,
      'it adds a constant, which is a layer only as the bias of a MatMul (a Dense layer)',
    );
  }
}

export const concatImport: OnnxImportPattern = {
  ops: ['Concat'],
  match(node, ctx) {
    const axis = normalAxis(ctx.attr(node, 'axis', -1), ctx.rank);
    if (axis !== ctx.rank - 1) {
      ctx.refuse(node, `axis ${axis} is not the last axis (the engine's Concat joins the last)`);
    }
    if (node.inputs.some((v) => ctx.constant(v) !== undefined)) {
      ctx.refuse(node, 'it joins a constant');
    }
    return { type: 'Concat', nodes: [node], inputs: node.inputs.slice(), output: node.outputs[0] };
  },
};
