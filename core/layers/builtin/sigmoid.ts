import { unaryImport } from '../../import/pattern';
import type { LayerDefinition } from '../contract';
import { sigmoidBackward, sigmoidForward } from '../../ops/sigmoid';
import { activationLab, fusedFromOutput, sameShape, unaryOnnx } from './elementwise';
import { single } from './single';

export default {
  type: 'Sigmoid',
  category: 'Activations',
  description: 'σ(x) = 1 / (1 + e⁻ˣ); keeps its output for backward',
  probabilities: true,
  build: sameShape,
  forward: (ctx, x) => ctx.ops.sigmoid(single(x)),
  onnx: unaryOnnx('Sigmoid'),
  onnxImport: unaryImport('Sigmoid'),
  pytorch: { module: 'nn.Sigmoid()' },
  fused: fusedFromOutput(sigmoidForward, sigmoidBackward),
  lab: activationLab('σ', 'σ′(h̃) = h(1 − h)'),
} satisfies LayerDefinition;
