import type { LayerDefinition } from '../../../core/layers/contract';

// The Wacky layer from the plugin guide (plugins/README.md), copied verbatim (types added): y = x ⊙ σ(a ⊙ x).
export const wacky: LayerDefinition = {
  type: 'Wacky',
  description: 'y = x * sigmoid(a * x)',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: 'ones' } } };
  },
  forward(ctx, xIn, { a }) {
    const x = xIn as import('../../../core/tensor/tensor').Tensor;
    const y = ctx.zeros(x.shape),
      s = ctx.zeros(x.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      s.data[i] = 1 / (1 + Math.exp(-a.data[i % n] * x.data[i]));
      y.data[i] = x.data[i] * s.data[i];
    }
    ctx.save(x, s);
    return y;
  },
  backward(ctx, gy, { a }) {
    const [x, s] = ctx.saved,
      gx = ctx.zeros(x.shape),
      ga = ctx.zeros(a.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      const ds = s.data[i] * (1 - s.data[i]);
      gx.data[i] = gy.data[i] * (s.data[i] + x.data[i] * ds * a.data[i % n]);
      ga.data[i % n] += gy.data[i] * x.data[i] * x.data[i] * ds;
    }
    return { x: gx, a: ga };
  },
};
