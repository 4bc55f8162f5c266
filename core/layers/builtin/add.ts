import { type Tensor, formatShape, sameShape } from '../../tensor/tensor';
import type { OnnxNodeSpec } from '../../export/onnx/plugin-mapping';
import { onlyReader } from '../../import/pattern';
import type { LayerDefinition } from '../contract';

/** Elementwise sum of two or more inputs of the same shape. Keeps nothing for backward. */
export default {
  type: 'Add',
  category: 'Merge',
  description: 'Sum of its inputs (same shapes); keeps nothing for backward',
  inputs: { min: 2 },
  build({ inShapes }) {
    for (const s of inShapes) {
      if (!sameShape(s, inShapes[0])) {
        throw new Error(
          `inputs must have the same shape, got ${inShapes.map(formatShape).join(' and ')}`,
        );
      }
    }
    return { outShape: inShapes[0].slice() };
  },
  forward(ctx, x) {
    const xs = x as Tensor[];
    let y = ctx.ops.add(xs[0], xs[1]);
    for (let i = 2; i < xs.length; i++) y = ctx.ops.add(y, xs[i]);
    return y;
  },
  /** ONNX Add takes two inputs: a sum of n is a chain, in the order the engine adds. */
  onnx(ctx) {
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
  },
  /**
   * ONNX's Add takes two inputs: a chain ((a + b) + c), as onnx above writes a sum of three, is
   * one Add of three again, in the same order, so that it sums exactly as before. An Add of a
   * constant is no merge (the bias of a MatMul is Dense's).
   */
  onnxImport: {
    ops: ['Add'],
    match(node, ctx) {
      if (node.inputs.some((v) => ctx.constant(v) !== undefined)) {
        ctx.refuse(
          node,
          'it adds a constant, which is a layer only as the bias of a MatMul (a Dense layer)',
        );
      }
      const nodes = [node];
      const inputs = node.inputs.slice();
      let out = node.outputs[0];
      for (let next = onlyReader(out, 'Add', ctx); next; next = onlyReader(out, 'Add', ctx)) {
        if (next.inputs[0] !== out || next.inputs[1] === out) break;
        if (ctx.constant(next.inputs[1]) !== undefined) break;
        nodes.push(next);
        inputs.push(next.inputs[1]);
        out = next.outputs[0];
      }
      return { nodes, inputs, output: out };
    },
  },
  // Left to right, as the engine adds.
  pytorch: (ctx) => ({ expression: ctx.inputs.join(' + ') }),
  lab: {
    forward: (c) => ({ title: 'Add the inputs', formula: `${c.out} = ${c.ins.join(' + ')}` }),
    backward: (c) => ({
      title: 'Add passes δ to every input unchanged',
      formula: `${c.inDeltas.join(' = ')} = ${c.delta}`,
    }),
  },
} satisfies LayerDefinition;
