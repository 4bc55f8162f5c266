import { pyFloat } from '../../export/pytorch/python-text';
import { leakyReluBackward, leakyReluForward } from '../../ops/leaky-relu';
import { float32Param, unaryImport } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import { activationLab, sameShape } from './elementwise';
import { single } from './single';

export default {
  type: 'LeakyReLU',
  category: 'Activations',
  description: 'x if x > 0 else slope·x; keeps its input for backward',
  params: { slope: { type: 'number', default: 0.01, min: 0, description: 'slope for x < 0' } },
  build: sameShape,
  forward: (ctx, x) => ctx.ops.leakyRelu(single(x), ctx.params.slope as number),
  onnx: (ctx) => [
    {
      op: 'LeakyRelu',
      inputs: [ctx.inputs[0]],
      outputs: [ctx.output],
      attributes: { alpha: { float: ctx.params.slope as number } },
    },
  ],
  // The slope read back as the float32 the attribute holds, written as its shortest decimal.
  onnxImport: unaryImport('LeakyRelu', (node, ctx) => ({
    slope: float32Param(ctx.attr(node, 'alpha', 0.01)),
  })),
  pytorch: (ctx) => ({
    module: `nn.LeakyReLU(negative_slope=${pyFloat(ctx.params.slope as number)})`,
  }),
  // Backward from the input, which the op keeps.
  fused: {
    forward: (s) => leakyReluForward(s.x, s.y, s.params.slope as number),
    evaluate: (s) => leakyReluForward(s.x, s.y, s.params.slope as number),
    backward: (s) => {
      if (s.gx) leakyReluBackward(s.gy, s.x, s.gx, s.params.slope as number);
    },
  },
  lab: activationLab('leaky', (pre) => `leaky′(${pre}) = 1 if ${pre} > 0, else the slope`),
} satisfies LayerDefinition;
