import { describe, expect, it } from 'vitest';
import { gradcheckLayer } from '../../../core/gradcheck';
import type { LayerDefinition } from '../../../core/layers/contract';
import type { Tensor } from '../../../core/tensor/tensor';
import { expectPass } from './random';
import { wacky } from './wacky';

describe('plugin layers', () => {
  it.each([{ inShapes: [[4]] }, { inShapes: [[3]], batch: 5, seed: 3 }, { inShapes: [[2, 3]] }])(
    'the plugin guide’s Wacky layer passes on $inShapes',
    (opts) => {
      const r = gradcheckLayer(wacky, { ...opts, source: 'wacky.js' });
      expectPass(r, 2);
      expect(r.tensors.map((t) => t.name)).toEqual(['x', 'a']);
    },
  );

  it('a layer without backward, traced through ctx.ops, passes', () => {
    // Swish with a learnable per-feature β: y = x ⊙ σ(β ⊙ x)
    const swish: LayerDefinition = {
      type: 'Swish',
      params: { scale: { type: 'number', default: 1 } },
      build: ({ inShapes }) => ({
        outShape: inShapes[0],
        weights: { beta: { shape: inShapes[0], init: 'ones' } },
      }),
      forward(ctx, xIn, { beta }) {
        const x = xIn as Tensor;
        const y = ctx.ops.mul(x, ctx.ops.sigmoid(ctx.ops.mul(x, beta)));
        return ctx.ops.scale(y, ctx.params.scale as number);
      },
    };
    expectPass(gradcheckLayer(swish, { inShapes: [[5]], params: { scale: 1.5 } }), 2);
  });

  it('runs plugin code in double precision', () => {
    const seen: string[] = [];
    const dtype = (t: Tensor) => (t.data instanceof Float64Array ? 'f64' : 'f32');
    const probe: LayerDefinition = {
      ...wacky,
      type: 'Probe',
      forward(ctx, x, w) {
        seen.push(
          dtype(x as Tensor),
          dtype(w.a),
          dtype(ctx.zeros([1])),
          dtype(ctx.tensor([1], [1])),
        );
        return wacky.forward(ctx, x, w);
      },
      backward(ctx, gy, w) {
        seen.push(dtype(gy), ...ctx.saved.map(dtype));
        return wacky.backward!(ctx, gy, w);
      },
    };
    expectPass(gradcheckLayer(probe, { inShapes: [[2]] }), 2);
    expect(new Set(seen)).toEqual(new Set(['f64']));
  });

  it('a layer with several inputs and its own backward names x[0] and x[1]', () => {
    const product: LayerDefinition = {
      type: 'Product',
      inputs: 2,
      build: ({ inShapes }) => ({ outShape: inShapes[0] }),
      forward(ctx, xs) {
        const [a, b] = xs as Tensor[];
        const y = ctx.zeros(a.shape);
        for (let i = 0; i < y.data.length; i++) y.data[i] = a.data[i] * b.data[i];
        ctx.save(a, b);
        return y;
      },
      backward(ctx, gy) {
        const [a, b] = ctx.saved;
        const ga = ctx.zeros(a.shape),
          gb = ctx.zeros(b.shape);
        for (let i = 0; i < gy.data.length; i++) {
          ga.data[i] = gy.data[i] * b.data[i];
          gb.data[i] = gy.data[i] * a.data[i];
        }
        return { x: [ga, gb] };
      },
    };
    const r = gradcheckLayer(product, { inShapes: [[3], [3]] });
    expectPass(r, 2);
    expect(r.tensors.map((t) => t.name)).toEqual(['x[0]', 'x[1]']);
  });

  it('a layer drawing from ctx.rng while training gets the same draws every evaluation', () => {
    // Multiplicative Gaussian noise, kept for backward.
    const noisy: LayerDefinition = {
      type: 'Noisy',
      build: ({ inShapes }) => ({ outShape: inShapes[0] }),
      forward(ctx, xIn) {
        const x = xIn as Tensor;
        const m = ctx.zeros(x.shape),
          y = ctx.zeros(x.shape);
        for (let i = 0; i < x.data.length; i++) {
          m.data[i] = ctx.training ? 1 + 0.5 * ctx.rng.normal() : 1;
          y.data[i] = x.data[i] * m.data[i];
        }
        ctx.save(m);
        return y;
      },
      backward(ctx, gy) {
        const [m] = ctx.saved;
        const gx = ctx.zeros(gy.shape);
        for (let i = 0; i < gy.data.length; i++) gx.data[i] = gy.data[i] * m.data[i];
        return { x: gx };
      },
    };
    expectPass(gradcheckLayer(noisy, { inShapes: [[6]], batch: 3 }), 1);
  });
});
