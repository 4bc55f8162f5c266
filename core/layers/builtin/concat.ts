import { type Tensor, formatShape, sameShape } from '../../tensor/tensor';
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
