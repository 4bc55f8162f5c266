// The same function, σ(x), kept two ways for backward. σ′ can be computed from the input
// (recompute σ(x)) or from the output (σ′ = y(1 − y)). Which is cheaper depends on the
// neighbours: the next Dense keeps this layer's output anyway, so keeping the output costs
// nothing extra, while keeping the input holds one more tensor. The memory view shows it.

/** @type {import('./api').LayerDefinition} */
const keepsInput = {
  type: 'SigmoidKeepsInput',
  description: 'sigmoid that keeps its input and recomputes sigmoid(x) in backward',
  category: 'Examples',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) {
    const y = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) y.data[i] = 1 / (1 + Math.exp(-x.data[i]));
    ctx.save(x);
    return y;
  },
  backward(ctx, gy) {
    const [x] = ctx.saved,
      gx = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) {
      const s = 1 / (1 + Math.exp(-x.data[i]));
      gx.data[i] = gy.data[i] * s * (1 - s);
    }
    return { x: gx };
  },
};

/** @type {import('./api').LayerDefinition} */
const keepsOutput = {
  type: 'SigmoidKeepsOutput',
  description: 'sigmoid that keeps its output: sigmoid′ = y(1 − y)',
  category: 'Examples',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) {
    const y = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) y.data[i] = 1 / (1 + Math.exp(-x.data[i]));
    ctx.save(y);
    return y;
  },
  backward(ctx, gy) {
    const [y] = ctx.saved,
      gx = ctx.zeros(y.shape);
    for (let i = 0; i < y.data.length; i++) gx.data[i] = gy.data[i] * y.data[i] * (1 - y.data[i]);
    return { x: gx };
  },
};

export default [keepsInput, keepsOutput];
