import { pyFloat } from '../../export/pytorch/python-text';
import { dropoutBackward, dropoutForward } from '../../ops/dropout';
import { float32Param } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import { unaryOnnx } from './elementwise';
import { single } from './single';

/** Inverted dropout while training (seeded), the identity otherwise. Keeps its mask for backward. */
export default {
  type: 'Dropout',
  category: 'Regularization',
  description: 'Zeroes a random fraction p of values while training; identity otherwise',
  params: {
    p: { type: 'number', default: 0.5, min: 0, max: 0.99, description: 'drop probability' },
  },
  build: ({ inShapes }) => ({ outShape: inShapes[0].slice() }),
  forward: (ctx, x) =>
    ctx.training ? ctx.ops.dropout(single(x), ctx.params.p as number, ctx.rng) : single(x),
  // Exported for inference: dropout is the identity outside training.
  onnx: unaryOnnx('Identity'),
  // A Dropout node is the layer with its ratio (an attribute before opset 12, a constant input
  // after). An inference export writes Identity instead, which the importer passes through.
  onnxImport: {
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
      p = float32Param(p);
      if (!(p >= 0 && p <= 0.99)) ctx.refuse(node, `its ratio ${p} is not between 0 and 0.99`);
      return { nodes: [node], inputs: [x], output: node.outputs[0], params: { p } };
    },
  },
  pytorch: (ctx) => ({ module: `nn.Dropout(p=${pyFloat(ctx.params.p as number)})` }),
  // The mask is the scratch forward keeps; its draws are the op's, in the op's order. In
  // evaluation it is the identity, as forward.
  fused: {
    evaluate: (s) => s.y.set(s.x),
    scratch: ({ outShape }) => outShape.reduce((p, d) => p * d, 1),
    forward(s) {
      const p = s.params.p as number;
      if (p > 0) dropoutForward(s.x, s.scratch!, s.y, p, s.rng);
      else s.y.set(s.x);
    },
    backward(s) {
      if (!s.gx) return;
      if ((s.params.p as number) > 0) dropoutBackward(s.gy, s.scratch!, s.gx);
      else s.gx.set(s.gy);
    },
  },
  lab: {
    sameUnits: true,
    forward: (c) => ({
      title: 'Dropout (off: the Lab runs in evaluation mode)',
      formula: `${c.out} = ${c.ins[0]}`,
      note: 'while training it keeps each unit with probability 1 − p and scales by 1/(1 − p)',
    }),
    backward: (c) => ({
      title: 'Dropout (off) passes δ unchanged',
      formula: `${c.inDeltas[0]} = ${c.delta}`,
    }),
  },
} satisfies LayerDefinition;
