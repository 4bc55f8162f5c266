// A two-input layer: y = g ⊙ x₁ + (1 − g) ⊙ x₂ with a learned per-feature gate g = σ(w).
// It blends two branches of a network; it keeps both inputs (for w's gradient) and g.

/** @type {import('./api').LayerDefinition<import('./api').Tensor[]>} */
export default {
  type: 'GatedSum',
  description: 'y = g * x1 + (1 - g) * x2, g = sigmoid(w) learned per feature',
  category: 'Examples',
  inputs: 2,
  gradcheck: { inShapes: [[4], [4]] },
  build({ inShapes }) {
    const [a, b] = inShapes;
    if (a.join() !== b.join())
      throw new Error(`both inputs need the same shape, got [${a}] and [${b}]`);
    return { outShape: a, weights: { w: { shape: a, init: 'zeros' } } };
  },
  forward(ctx, xs, { w }) {
    const [x1, x2] = xs;
    const y = ctx.zeros(x1.shape),
      g = ctx.zeros(w.shape),
      n = w.data.length;
    for (let j = 0; j < n; j++) g.data[j] = 1 / (1 + Math.exp(-w.data[j]));
    for (let i = 0; i < y.data.length; i++) {
      const gj = g.data[i % n];
      y.data[i] = gj * x1.data[i] + (1 - gj) * x2.data[i];
    }
    ctx.save(g, ...(ctx.needsWeightGrad.w ? [x1, x2] : []));
    return y;
  },
  backward(ctx, gy, { w }) {
    const [g, x1, x2] = ctx.saved,
      n = w.data.length;
    const g1 = ctx.zeros(gy.shape),
      g2 = ctx.zeros(gy.shape),
      gw = ctx.zeros(w.shape);
    for (let i = 0; i < gy.data.length; i++) {
      const gj = g.data[i % n];
      g1.data[i] = gy.data[i] * gj;
      g2.data[i] = gy.data[i] * (1 - gj);
      if (x1) gw.data[i % n] += gy.data[i] * (x1.data[i] - x2.data[i]) * gj * (1 - gj);
    }
    return { x: [g1, g2], w: x1 ? gw : null };
  },
};
