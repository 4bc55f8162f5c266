// PReLU, y = x if x > 0 else a·x, with a learned slope a per feature: a layer with every
// capability a built-in has. Forward and backward by hand, and the same loops as a fused kernel
// on flat buffers (so a plain chain with it trains through the fused plan, without allocating),
// its ONNX mapping and its PyTorch code (both have a PReLU operator), and its rules in the
// Lab's step-by-step view. It keeps its input.

/** @typedef {Float32Array | Float64Array} Values */

/**
 * y from x and the slopes a (one per feature): what forward and the fused kernel run.
 * @param {Values} x @param {Values} a @param {Values} y
 */
function preluForward(x, a, y) {
  const n = a.length;
  for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : a[i % n] * x[i];
}

/**
 * gx and ga (summed over the batch) from gy; either may be null when nobody needs it.
 * @param {Values} x @param {Values} a @param {Values} gy
 * @param {Values | null} gx @param {Values | null} ga
 */
function preluBackward(x, a, gy, gx, ga) {
  const n = a.length;
  if (ga) ga.fill(0);
  for (let i = 0; i < x.length; i++) {
    const positive = x[i] > 0;
    if (gx) gx[i] = positive ? gy[i] : a[i % n] * gy[i];
    if (ga && !positive) ga[i % n] += gy[i] * x[i];
  }
}

/** @type {import('./api').LayerDefinition} */
export default {
  type: 'PReLU',
  description: 'y = x if x > 0 else a·x, a learned slope per feature; keeps its input',
  category: 'Examples',
  params: { init: { type: 'number', default: 0.25, description: 'starting slope' } },
  build({ inShapes, params }) {
    if (inShapes[0].length !== 1) throw new Error(`takes [features], got [${inShapes[0]}]`);
    const init = /** @type {number} */ (params.init);
    return { outShape: inShapes[0], weights: { weight: { shape: inShapes[0], init } } };
  },
  forward(ctx, x, { weight }) {
    const y = ctx.zeros(x.shape);
    preluForward(x.data, weight.data, y.data);
    if (ctx.needsInputGrad || ctx.needsWeightGrad.weight) ctx.save(x);
    return y;
  },
  backward(ctx, gy, { weight }) {
    const [x] = ctx.saved;
    const gx = ctx.needsInputGrad ? ctx.zeros(x.shape) : null;
    const ga = ctx.needsWeightGrad.weight ? ctx.zeros(weight.shape) : null;
    preluBackward(x.data, weight.data, gy.data, gx && gx.data, ga && ga.data);
    return { x: gx, weight: ga };
  },
  // The same loops on the fused plan's buffers: its results are bit for bit the tape's.
  // Evaluation (the test set's loss) computes what training's forward does.
  fused: {
    forward: (s) => preluForward(s.x, s.weights.weight, s.y),
    evaluate: (s) => preluForward(s.x, s.weights.weight, s.y),
    backward: (s) => preluBackward(s.x, s.weights.weight, s.gy, s.gx, s.grads.weight),
  },
  onnx: (ctx) => [
    { op: 'PRelu', inputs: [ctx.inputs[0], ctx.weights.weight], outputs: [ctx.output] },
  ],
  // nn.PReLU's parameter is called weight, one slope per feature, as here.
  pytorch: (ctx) => ({ module: `nn.PReLU(num_parameters=${ctx.inShapes[0][0]})` }),
  // In the Lab's step by step: an activation, unit by unit, with a slope that learns.
  lab: {
    sameUnits: true,
    forward: (c) => ({
      title: 'PReLU, unit by unit: negative values scaled by a learned slope a',
      formula: `${c.out} = max(0, ${c.ins[0]}) + a ⊙ min(0, ${c.ins[0]})`,
    }),
    backward: (c) => ({
      title: 'Back through PReLU: 1 where the input was positive, a elsewhere',
      formula: `${c.inDeltas[0]} = ${c.delta} ⊙ (1 if ${c.ins[0]} > 0, else a)`,
      more: c.frozen
        ? []
        : [`∂L/∂a = Σ ${c.delta} ⊙ min(0, ${c.ins[0]})   (summed over the batch)`],
    }),
  },
};
