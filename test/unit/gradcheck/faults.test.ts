import { describe, expect, it } from 'vitest';
import { gradcheckLayer, gradcheckOp } from '../../../core/gradcheck';
import { BUILTIN_LAYERS } from '../../../core/layers/builtin';
import type { LayerDefinition } from '../../../core/layers/contract';
import { ops } from '../../../core/ops';
import type { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { Draw, expectPass } from './random';
import { scaleBackward, scaleLayer } from './scale-layer';

const opts = { inShapes: [[4]], batch: 3 };

describe('gradcheckLayer finds wrong gradients', () => {
  it('passes the correct backward', () => {
    expectPass(gradcheckLayer(scaleLayer(scaleBackward()), opts), 2);
  });

  it('names the weight whose gradient has a wrong factor', () => {
    const r = gradcheckLayer(scaleLayer(scaleBackward(undefined, () => 2)), opts);
    expect(r.ok).toBe(false);
    expect(r.error).toBeUndefined();
    const [x, a] = r.tensors;
    expect(x).toMatchObject({ name: 'x', ok: true });
    expect(a).toMatchObject({ name: 'a', ok: false, shape: [4] });
    expect(a.worst.index).toHaveLength(1);
    expect(a.worst.index[0]).toBeGreaterThanOrEqual(0);
    expect(a.worst.index[0]).toBeLessThan(4);
    expect(a.worst.analytic / a.worst.numeric).toBeCloseTo(2, 6);
    expect(a.maxRelError).toBeCloseTo(1, 6);
  });

  it('points at the one feature whose input gradient is wrong', () => {
    const r = gradcheckLayer(scaleLayer(scaleBackward((i, n) => (i % n === 2 ? 0.5 : 1))), opts);
    expect(r.ok).toBe(false);
    const [x, a] = r.tensors;
    expect(a.ok).toBe(true);
    expect(x.ok).toBe(false);
    expect(x.shape).toEqual([3, 4]);
    expect(x.worst.index[1]).toBe(2);
    expect(x.worst.analytic / x.worst.numeric).toBeCloseTo(0.5, 6);
  });

  it("uses random weights, so an init of 'ones' cannot hide a forgotten factor", () => {
    // gx = gy forgets the factor a: right only when a = 1, which is exactly the layer's init.
    const forgot = scaleLayer((ctx, gy, { a }) => {
      const [x] = ctx.saved;
      const ga = ctx.zeros(a.shape);
      for (let i = 0; i < x.data.length; i++) ga.data[i % a.data.length] += gy.data[i] * x.data[i];
      return { x: gy, a: ga };
    });
    const r = gradcheckLayer(forgot, opts);
    expect(r.ok).toBe(false);
    expect(r.tensors.find((t) => !t.ok)?.name).toBe('x');
  });
});

describe('gradcheckLayer turns faults into ok: false with the engine message', () => {
  it('a weight gradient of the wrong shape', () => {
    const bad = scaleLayer((ctx, gy) => ({ x: gy, a: ctx.zeros([5]) }));
    const r = gradcheckLayer(bad, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Scale/);
    expect(r.error).toMatch(/weight 'a' has shape \[5\], expected \[4\]/);
  });

  it('an input gradient of the wrong shape, in a plugin', () => {
    const bad = scaleLayer((ctx, _gy, { a }) => ({ x: ctx.zeros([4]), a: ctx.zeros(a.shape) }));
    const r = gradcheckLayer(bad, { ...opts, source: 'scale.js' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Scale from plugin scale\.js/);
    expect(r.error).toMatch(/input x has shape \[4\], expected \[3, 4\]/);
  });

  it('a missing weight gradient', () => {
    const bad = scaleLayer((_ctx, gy) => ({ x: gy }));
    const r = gradcheckLayer(bad, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Scale.*weight 'a' is missing/);
  });

  it('a backward that throws', () => {
    const bad = scaleLayer(() => {
      throw new Error('ga is not written yet');
    }, 'Unfinished');
    const r = gradcheckLayer(bad, { ...opts, source: 'unfinished.js', node: 'u1' });
    expect(r.ok).toBe(false);
    expect(r.tensors).toEqual([]);
    expect(r.error).toBe(
      'Error in Unfinished from plugin unfinished.js (node u1) during backward: ga is not written yet',
    );
  });

  it('a forward that throws something that is not an Error', () => {
    const bad: LayerDefinition = {
      ...scaleLayer(scaleBackward()),
      forward: () => {
        throw 'no';
      },
    };
    const r = gradcheckLayer(bad, opts);
    expect(r).toMatchObject({ ok: false, layer: 'Scale' });
    expect(r.error).toMatch(/Scale \(node gradcheck\) during forward: no/);
  });

  it('a layer without backward whose forward autograd cannot see', () => {
    const untraced: LayerDefinition = {
      type: 'Square',
      build: ({ inShapes }) => ({ outShape: inShapes[0] }),
      forward(ctx, xIn) {
        const x = xIn as Tensor;
        const y = ctx.zeros(x.shape);
        for (let i = 0; i < y.data.length; i++) y.data[i] = x.data[i] * x.data[i];
        return y;
      },
    };
    // The engine refuses it as soon as it runs: training would otherwise go on with no gradient.
    const r = gradcheckLayer(untraced, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(
      /Error in Square .*during forward: the output does not depend on the inputs or weights through ctx\.ops.*write backward\(\)/,
    );
  });

  it('a non-finite output', () => {
    const logLayer: LayerDefinition = {
      type: 'Log',
      build: ({ inShapes }) => ({ outShape: inShapes[0] }),
      forward: (ctx, x) => ctx.ops.log(x as Tensor),
    };
    const r = gradcheckLayer(logLayer, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Log \(node gradcheck\): the output is NaN at index \[\d, \d\]/);
  });

  it('an output of another shape than build promised', () => {
    const bad: LayerDefinition = {
      type: 'Wide',
      build: ({ inShapes }) => ({ outShape: inShapes[0] }),
      forward: (ctx, x) => ctx.zeros([(x as Tensor).shape[0], 7]),
    };
    const r = gradcheckLayer(bad, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Wide.*output has shape \[3, 7\] but build promised \[3, 4\]/);
  });

  it('a build that throws', () => {
    const bad: LayerDefinition = {
      type: 'Picky',
      build: () => {
        throw new Error('needs two axes');
      },
      forward: (_ctx, x) => x as Tensor,
    };
    const r = gradcheckLayer(bad, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toBe(
      'Error in Picky (node gradcheck) during build (input shapes [4]): needs two axes',
    );
  });

  it('bad parameters and a wrong number of inputs', () => {
    const dense = gradcheckLayer(BUILTIN_LAYERS.Dense, { inShapes: [[3]], params: { unit: 2 } });
    expect(dense.ok).toBe(false);
    expect(dense.error).toMatch(/params\.unit: unknown parameter 'unit' \(known: units, bias\)/);
    const add = gradcheckLayer(BUILTIN_LAYERS.Add, { inShapes: [[3]] });
    expect(add.ok).toBe(false);
    expect(add.error).toMatch(/Add.*takes at least 2 inputs, got 1/);
  });

  it('a plugin export that is not a layer', () => {
    const r = gradcheckLayer({ type: 'Empty' } as unknown as LayerDefinition, opts);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Empty/);
  });
});

describe('gradcheckOp', () => {
  const d = new Draw(5);

  it('fails an op whose random draws change between evaluations', () => {
    const shared = new Rng(1);
    const r = gradcheckOp((x) => ops.dropout(x, 0.5, shared), [d.signed([4, 4])]);
    expect(r.ok).toBe(false);
    expect(r.tensors[0].name).toBe('input0');
  });

  it('reports an op that throws', () => {
    const r = gradcheckOp((a, b) => ops.matmul(a, b), [d.signed([2, 3]), d.signed([2, 3])], {
      name: 'matmul',
    });
    expect(r).toMatchObject({ ok: false, layer: 'matmul', tensors: [] });
    expect(r.error).toMatch(/matmul: inner sizes differ/);
  });

  it('rejects a wrt index that is not an input', () => {
    const r = gradcheckOp((x) => ops.exp(x), [d.signed([2])], { wrt: [1] });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/wrt names input 1, but the op has 1 input/);
  });

  it('copies float32 inputs to float64 and leaves the originals alone', () => {
    const x = d.signed([3]);
    const f32 = new Float32Array(x.data);
    const t = new (x.constructor as typeof Tensor)(f32, [3]);
    const seen: string[] = [];
    expectPass(
      gradcheckOp(
        (v) => {
          seen.push(v.dtype);
          return ops.tanh(v);
        },
        [t],
      ),
      1,
    );
    expect(new Set(seen)).toEqual(new Set(['float64']));
    expect(t.requiresGrad).toBe(false);
    expect(t.grad).toBeNull();
  });
});
