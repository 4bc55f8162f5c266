// What "New layer…" starts from: a complete layer of the plugin contract (plugins/README.md,
// plugins/api.d.ts) that passes its gradient check, with each part saying what it is for.

/** A free file name `my-layer.js`, `my-layer-2.js`, … among the files there are. */
export function newLayerFileName(taken: readonly string[]): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? 'my-layer.js' : `my-layer-${i}.js`;
    if (!taken.includes(name)) return name;
  }
}

/** A free layer type `MyLayer`, `MyLayer2`, … among the types there are. */
export function newLayerType(taken: readonly string[]): string {
  for (let i = 1; ; i++) {
    const type = i === 1 ? 'MyLayer' : `MyLayer${i}`;
    if (!taken.includes(type)) return type;
  }
}

/** The template, for a layer type. */
export function layerTemplate(type: string): string {
  return `// A layer plugin: y = a ⊙ tanh(x), with a learnable per-feature scale a.
// forward computes y and saves what backward needs (the layer's memory policy); backward turns
// the gradient of the loss with respect to y (gy) into the gradients of x and of each weight.
// Delete backward to let autograd differentiate a forward written with ctx.ops.

/** @type {import('./api').LayerDefinition} */
export default {
  type: '${type}',
  description: 'y = a * tanh(x), a learned per feature',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: 'ones' } } };
  },
  forward(ctx, x, { a }) {
    const y = ctx.zeros(x.shape),
      t = ctx.zeros(x.shape),
      n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      t.data[i] = Math.tanh(x.data[i]);
      y.data[i] = a.data[i % n] * t.data[i];
    }
    ctx.save(t);
    return y;
  },
  backward(ctx, gy, { a }) {
    const [t] = ctx.saved,
      gx = ctx.zeros(t.shape),
      ga = ctx.zeros(a.shape),
      n = a.data.length;
    for (let i = 0; i < t.data.length; i++) {
      gx.data[i] = gy.data[i] * a.data[i % n] * (1 - t.data[i] * t.data[i]);
      ga.data[i % n] += gy.data[i] * t.data[i];
    }
    return { x: gx, a: ga };
  },
};
`;
}
