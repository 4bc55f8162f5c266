// The lecture's "wacky custom layer": y = x ⊙ σ(a ⊙ x), with a learnable per-feature vector a.
// Forward and backward written by hand; it keeps x and σ(a ⊙ x) for backward.

/** @type {import('./api').LayerDefinition} */
export default {
  type: 'Wacky',
  description: 'y = x * sigmoid(a * x), a learned per feature; keeps x and the sigmoid',
  category: 'Examples',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: 'ones' } } };
  },
  forward(ctx, x, { a }) {
    const y = ctx.zeros(x.shape),
      s = ctx.zeros(x.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      s.data[i] = 1 / (1 + Math.exp(-a.data[i % n] * x.data[i]));
      y.data[i] = x.data[i] * s.data[i];
    }
    ctx.save(x, s); // exactly what backward needs: this is the memory policy
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
    return { x: gx, a: ga }; // input gradient and one gradient per weight, summed over the batch
  },
};
