import { type Tensor, formatShape, sameShape } from '../../tensor/tensor';
import { normalAxis } from '../../import/pattern';
import type { LayerDefinition } from '../contract';

/** Join two or more inputs along the feature (last) axis. Keeps nothing for backward. */
export default {
  type: 'Concat',
  category: 'Merge',
  description: 'Joins its inputs along the last axis; keeps nothing for backward',
  inputs: { min: 2 },
  build({ inShapes }) {
    const lead = inShapes[0].slice(0, -1);
    for (const s of inShapes) {
      if (s.length !== inShapes[0].length || !sameShape(s.slice(0, -1), lead)) {
        throw new Error(
          `inputs must agree except in the last axis, got ${inShapes.map(formatShape).join(' and ')}`,
        );
      }
    }
    const last = inShapes.reduce((p, s) => p + s[s.length - 1], 0);
    return { outShape: [...lead, last] };
  },
  forward: (ctx, x) => ctx.ops.concat(x as Tensor[], -1),
  onnx: (ctx) => [
    {
      op: 'Concat',
      inputs: [...ctx.inputs],
      outputs: [ctx.output],
      attributes: { axis: { int: -1 } },
    },
  ],
  onnxImport: {
    ops: ['Concat'],
    match(node, ctx) {
      const axis = normalAxis(ctx.attr(node, 'axis', -1), ctx.rank);
      if (axis !== ctx.rank - 1) {
        ctx.refuse(node, `axis ${axis} is not the last axis (the engine's Concat joins the last)`);
      }
      if (node.inputs.some((v) => ctx.constant(v) !== undefined)) {
        ctx.refuse(node, 'it joins a constant');
      }
      return { nodes: [node], inputs: node.inputs.slice(), output: node.outputs[0] };
    },
  },
  pytorch: (ctx) => ({ expression: `torch.cat([${ctx.inputs.join(', ')}], dim=-1)` }),
  lab: {
    forward: (c) => ({
      title: 'Join the inputs along the features',
      formula: `${c.out} = [${c.ins.join('; ')}]`,
    }),
    backward: (c) => ({
      title: 'Concat splits δ between its inputs',
      formula: `[${c.inDeltas.join('; ')}] = ${c.delta}`,
    }),
  },
} satisfies LayerDefinition;
