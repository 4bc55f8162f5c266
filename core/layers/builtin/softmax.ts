import { normalAxis, unaryImport } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import { softmaxBackward, softmaxForward } from '../../ops/softmax';
import { sameShape } from './elementwise';
import { single } from './single';

export default {
  type: 'Softmax',
  category: 'Activations',
  description: 'softmax over the last axis; keeps its output for backward',
  probabilities: true,
  build: sameShape,
  forward: (ctx, x) => ctx.ops.softmax(single(x)),
  onnx: (ctx) => [
    {
      op: 'Softmax',
      inputs: [ctx.inputs[0]],
      outputs: [ctx.output],
      attributes: { axis: { int: -1 } },
    },
  ],
  onnxImport: {
    ops: ['Softmax'],
    match(node, ctx) {
      // Before opset 13 the default axis is 1 (over the flattened trailing axes).
      const axis = normalAxis(ctx.attr(node, 'axis', ctx.opset >= 13 ? -1 : 1), ctx.rank);
      if (axis !== ctx.rank - 1) {
        ctx.refuse(
          node,
          `axis ${axis} is not the last axis (the engine's Softmax is over the last)`,
        );
      }
      return unaryImport('Softmax').match(node, ctx);
    },
  },
  pytorch: { module: 'nn.Softmax(dim=-1)' },
  fused: {
    forward: (s) => softmaxForward(s.x, s.y, s.outShape[s.outShape.length - 1]),
    evaluate: (s) => softmaxForward(s.x, s.y, s.outShape[s.outShape.length - 1]),
    backward: (s) => {
      if (s.gx) softmaxBackward(s.gy, s.y, s.gx, s.outShape[s.outShape.length - 1]);
    },
  },
  lab: {
    sameUnits: true,
    forward: (c) => ({
      title: 'Softmax over the units',
      formula: `${c.out} = softmax(${c.ins[0]})`,
    }),
    backward: (c) => ({
      title: 'Back through the softmax (its Jacobian mixes the units)',
      formula: `${c.inDeltas[0]} = ${c.out} ⊙ (${c.delta} − ⟨${c.delta}, ${c.out}⟩)`,
    }),
  },
} satisfies LayerDefinition;
