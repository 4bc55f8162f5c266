import type { LayerDefinition } from '../contract';
import { single } from './single';

/**
 * y = x · Wᵀ + b with W of shape [units, in] and PyTorch's nn.Linear initialisation
 * (both W and b uniform in ±1/√in). Backward by autograd: the linear op saves x only when W
 * needs a gradient and W only when x does, so a frozen Dense over frozen layers keeps nothing.
 */
export default {
  type: 'Dense',
  category: 'Layers',
  description: 'Fully connected: y = x·Wᵀ + b',
  params: {
    units: { type: 'int', default: 8, min: 1, description: 'output features' },
    bias: { type: 'boolean', default: true, description: 'add a learnable bias' },
  },
  build({ inShapes, params }) {
    const inShape = inShapes[0];
    const fanIn = inShape[inShape.length - 1];
    const units = params.units as number;
    const bound = 1 / Math.sqrt(fanIn);
    const init = { uniform: [-bound, bound] as [number, number] };
    return {
      outShape: [...inShape.slice(0, -1), units],
      weights: {
        weight: { shape: [units, fanIn], init },
        ...(params.bias ? { bias: { shape: [units], init } } : {}),
      },
    };
  },
  forward: (ctx, x, w) => ctx.ops.linear(single(x), w.weight, w.bias ?? null),
} satisfies LayerDefinition;
