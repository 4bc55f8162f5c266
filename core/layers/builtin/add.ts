import { type Tensor, formatShape, sameShape } from '../../tensor/tensor';
import type { LayerDefinition } from '../contract';

/** Elementwise sum of two or more inputs of the same shape. Keeps nothing for backward. */
export default {
  type: 'Add',
  category: 'Merge',
  description: 'Sum of its inputs (same shapes); keeps nothing for backward',
  inputs: { min: 2 },
  build({ inShapes }) {
    for (const s of inShapes) {
      if (!sameShape(s, inShapes[0])) {
        throw new Error(
          `inputs must have the same shape, got ${inShapes.map(formatShape).join(' and ')}`,
        );
      }
    }
    return { outShape: inShapes[0].slice() };
  },
  forward(ctx, x) {
    const xs = x as Tensor[];
    let y = ctx.ops.add(xs[0], xs[1]);
    for (let i = 2; i < xs.length; i++) y = ctx.ops.add(y, xs[i]);
    return y;
  },
} satisfies LayerDefinition;
