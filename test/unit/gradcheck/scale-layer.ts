import type { BackwardResult, LayerContext, LayerDefinition } from '../../../core/layers/contract';
import type { Tensor } from '../../../core/tensor/tensor';

type Backward = (ctx: LayerContext, gy: Tensor, w: Record<string, Tensor>) => BackwardResult;

/** y = x ⊙ a with a per-feature weight a, written the plugin way, with the given backward. */
export function scaleLayer(backward: Backward, type = 'Scale'): LayerDefinition {
  return {
    type,
    build: ({ inShapes }) => ({
      outShape: inShapes[0],
      weights: { a: { shape: inShapes[0], init: 'ones' } },
    }),
    forward(ctx, xIn, { a }) {
      const x = xIn as Tensor;
      const y = ctx.zeros(x.shape),
        n = a.data.length;
      for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i] * a.data[i % n];
      ctx.save(x);
      return y;
    },
    backward,
  };
}

/**
 * The right backward, with hooks to break it: `gxFactor(i)` and `gaFactor(i)` multiply the
 * contribution of element i of the flattened input.
 */
export function scaleBackward(
  gxFactor: (i: number, n: number) => number = () => 1,
  gaFactor: (i: number, n: number) => number = () => 1,
): Backward {
  return (ctx, gy, { a }) => {
    const [x] = ctx.saved;
    const gx = ctx.zeros(x.shape),
      ga = ctx.zeros(a.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      gx.data[i] = gy.data[i] * a.data[i % n] * gxFactor(i, n);
      ga.data[i % n] += gy.data[i] * x.data[i] * gaFactor(i, n);
    }
    return { x: gx, a: ga };
  };
}
