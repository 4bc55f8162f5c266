import { unaryImport } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import { tanhBackward, tanhForward } from '../../ops/tanh';
import { activationLab, fusedFromOutput, sameShape, unaryOnnx } from './elementwise';
import { single } from './single';

export default {
  type: 'Tanh',
  category: 'Activations',
  description: 'tanh(x); keeps its output for backward',
  build: sameShape,
  forward: (ctx, x) => ctx.ops.tanh(single(x)),
  onnx: unaryOnnx('Tanh'),
  onnxImport: unaryImport('Tanh'),
  pytorch: { module: 'nn.Tanh()' },
  fused: fusedFromOutput(tanhForward, tanhBackward),
  lab: activationLab('tanh', (pre, h) => `tanh′(${pre}) = 1 − (${h})²`),
} satisfies LayerDefinition;
