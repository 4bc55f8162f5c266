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
  lab: {
    ...activationLab('σ', (pre, h) => `σ′(${pre}) = ${h}(1 − ${h})`),
    cancels: {
      loss: 'BCE',
      backward: (c) => ({
        title: 'BCE on a sigmoid: σ′ cancels the loss’s denominator',
        formula: `${c.inDeltas[0]} = ${c.delta} ⊙ σ′(${c.ins[0]}) = ${c.out} − y`,
        more: [
          `${c.delta} ⊙ σ′(${c.ins[0]}) = (${c.out} − y) / (${c.out}(1 − ${c.out})) · ${c.out}(1 − ${c.out}) = ${c.out} − y   (÷ N for the mean)`,
        ],
      }),
    },
  },
} satisfies LayerDefinition;
