import { formatShape, sameShape } from '../../tensor/tensor';
import type { LayerDefinition } from '../contract';

/** Elementwise sum of two or more inputs of the same shape. Keeps nothing for backward. */
export const Add: LayerDefinition = {
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
    const xs = x as import('../../tensor/tensor').Tensor[];
    let y = ctx.ops.add(xs[0], xs[1]);
    for (let i = 2; i < xs.length; i++) y = ctx.ops.add(y, xs[i]);
    return y;
  },
};

/** Join two or more inputs along the feature (last) axis. Keeps nothing for backward. */
export const Concat: LayerDefinition = {
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
  forward: (ctx, x) => ctx.ops.concat(x as import('../../tensor/tensor').Tensor[], -1),
};
