import { unaryImport } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import { reluBackward, reluForward } from '../../ops/relu';
import { activationLab, fusedFromOutput, sameShape, unaryOnnx } from './elementwise';
import { single } from './single';

export default {
  type: 'ReLU',
  category: 'Activations',
  description: 'max(0, x); keeps its output for backward',
  build: sameShape,
  forward: (ctx, x) => ctx.ops.relu(single(x)),
  onnx: unaryOnnx('Relu'),
  onnxImport: unaryImport('Relu'),
  pytorch: { module: 'nn.ReLU()' },
  fused: fusedFromOutput(reluForward, reluBackward),
  lab: activationLab('relu', (pre) => `relu′(${pre}) = 1[${pre} > 0]`),
} satisfies LayerDefinition;
