// y = a · x with one learnable number a: the smallest layer with a weight. Its gradient is the
// sum over the whole batch of gy ⊙ x, so it keeps x (only when a needs a gradient).

/** @type {import('./api').LayerDefinition} */
export default {
  type: 'LearnableScale',
  description: 'y = a * x with a single learnable scalar a',
  category: 'Examples',
  params: { init: { type: 'number', default: 1, description: 'starting value of a' } },
  build({ inShapes, params }) {
    return {
      outShape: inShapes[0],
      weights: { a: { shape: [1], init: /** @type {number} */ (params.init) } },
    };
  },
  forward(ctx, x, { a }) {
    const y = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) y.data[i] = a.data[0] * x.data[i];
    if (ctx.needsWeightGrad.a) ctx.save(x); // x is only needed for a's gradient
    return y;
  },
  backward(ctx, gy, { a }) {
    const gx = ctx.zeros(gy.shape);
    for (let i = 0; i < gy.data.length; i++) gx.data[i] = a.data[0] * gy.data[i];
    let ga = null;
    if (ctx.needsWeightGrad.a) {
      const [x] = ctx.saved;
      let s = 0;
      for (let i = 0; i < gy.data.length; i++) s += gy.data[i] * x.data[i];
      ga = ctx.tensor([s], [1]);
    }
    return { x: gx, a: ga };
  },
};
