// A plugin that writes its own backward is compared with autograd when its forward is written
// with ctx.ops: the two must agree; a forward on raw data cannot be traced and is only checked
// against finite differences.
import { describe, expect, it } from 'vitest';
import { compareWithAutograd } from '../../../core/plugins/autograd-check';
import { loadOne, shipped } from './helpers';

/** Wacky again, but its forward uses ctx.ops, so autograd can differentiate it too. */
const OPS_WACKY = `export default {
  type: 'OpsWacky',
  build: ({ inShapes }) => ({ outShape: inShapes[0], weights: { a: { shape: inShapes[0] } } }),
  forward(ctx, x, { a }) {
    const s = ctx.ops.sigmoid(ctx.ops.mul(x, a));
    ctx.save(x, s);
    return ctx.ops.mul(x, s);
  },
  backward(ctx, gy, { a }) {
    const [x, s] = ctx.saved, gx = ctx.zeros(x.shape), ga = ctx.zeros(a.shape), n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      const ds = s.data[i] * (1 - s.data[i]);
      gx.data[i] = gy.data[i] * (s.data[i] + x.data[i] * ds * a.data[i % n]);
      ga.data[i % n] += gy.data[i] * x.data[i] * x.data[i] * ds;
    }
    return { x: gx, a: ga };
  },
};
`;

// The classic slip: the gradient of a misses one factor x.
const OPS_WACKY_WRONG = OPS_WACKY.replace('x.data[i] * x.data[i] * ds', 'x.data[i] * ds');

describe('hand-written backward against autograd', () => {
  it('a forward written with ctx.ops and a correct backward: traceable, and they agree', async () => {
    const { status } = await loadOne('ops-wacky.js', OPS_WACKY);
    const { check } = status.layers[0];
    expect(check.autograd).toMatchObject({ traceable: true, ok: true });
    expect(check.autograd!.maxAbsDiff).toBeLessThan(1e-12);
    expect(check.autograd!.message).toMatch(/^hand-written backward agrees with autograd/);
    expect(check.ok).toBe(true);
  });

  it('the same with a wrong backward: not ok, naming the tensor that differs', async () => {
    const { status } = await loadOne('ops-wacky.js', OPS_WACKY_WRONG);
    expect(status.ok).toBe(true); // it loads; its check says what is wrong
    const { check } = status.layers[0];
    expect(check.ok).toBe(false);
    expect(check.autograd).toMatchObject({ traceable: true, ok: false, tensor: 'a' });
    expect(check.autograd!.message).toMatch(
      /^hand-written backward differs from autograd in a by up to \d\.\d{3}e[-+]\d+$/,
    );
    // Finite differences agree with autograd: x passes, a does not.
    expect(check.gradcheck.tensors.map((t) => [t.name, t.ok])).toEqual([
      ['x', true],
      ['a', false],
    ]);
  });

  it('Wacky computes on raw data: not traceable, so only finite differences judge it', async () => {
    const { status } = await loadOne('wacky.js', shipped('wacky.js'));
    const { check } = status.layers[0];
    expect(check.autograd).toMatchObject({ traceable: false, ok: true, maxAbsDiff: 0 });
    expect(check.autograd!.message).toMatch(/autograd cannot trace it/);
    expect(check.gradcheck.ok).toBe(true);
    expect(check.ok).toBe(true);
  });

  it('a layer without backward has nothing to compare', async () => {
    const { status } = await loadOne('swish.ts', shipped('swish.ts'));
    expect(status.layers[0].hasBackward).toBe(false);
    expect(status.layers[0].check.autograd).toBeNull();
  });

  it('compares a two-input layer per input, at the shapes given', async () => {
    const source = `export default {
  type: 'Product',
  inputs: 2,
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, [a, b]) {
    ctx.save(a, b);
    return ctx.ops.mul(a, b);
  },
  backward(ctx, gy) {
    const [a, b] = ctx.saved;
    // Wrong on purpose for the second input: it should be gy * a.
    return { x: [ctx.ops.mul(gy, b), ctx.ops.mul(gy, b)] };
  },
};`;
    const { catalog } = await loadOne('product.js', source);
    const def = catalog.registry().get('Product')!.def;
    const r = compareWithAutograd(def, { inShapes: [[3], [3]], batch: 4, seed: 2 });
    expect(r).toMatchObject({ traceable: true, ok: false, tensor: 'x[1]' });
  });
});
