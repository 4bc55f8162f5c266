import { describe, expect, it } from 'vitest';
import { gradcheckLayer } from '../../../core/gradcheck';
import { gradcheckLayerArrays } from '../../../core/inspect';
import { BUILTIN_LAYERS } from '../../../core/layers/builtin';
import type { LayerDefinition } from '../../../core/layers/contract';
import { wacky } from '../gradcheck/wacky';

describe('gradcheckLayerArrays', () => {
  it('keeps every element and agrees with gradcheckLayer’s summary', () => {
    const opts = { inShapes: [[4]], batch: 3, seed: 5, source: 'wacky.js' };
    const full = gradcheckLayerArrays(wacky, opts);
    const summary = gradcheckLayer(wacky, opts);
    expect(full.ok).toBe(true);
    expect(full.tensors).toEqual(summary.tensors);
    expect(full.arrays.map((a) => [a.name, a.shape])).toEqual([
      ['x', [3, 4]],
      ['a', [4]],
    ]);
    for (const a of full.arrays) {
      expect(a.analytic).toHaveLength(a.numeric.length);
      for (let i = 0; i < a.numeric.length; i++)
        expect(Math.abs(a.analytic[i] - a.numeric[i])).toBeLessThan(1e-6);
    }
    const worst = full.tensors[1].worst;
    expect(full.arrays[1].analytic[worst.index[0]]).toBe(worst.analytic);
  });

  it('shows where a wrong backward differs', () => {
    const broken: LayerDefinition = {
      ...wacky,
      type: 'Broken',
      backward(ctx, gy, w) {
        const r = wacky.backward!(ctx, gy, w) as Record<string, { data: Float64Array }>;
        r.a.data[1] *= 2; // one element of ∂L/∂a is wrong
        return r as never;
      },
    };
    const full = gradcheckLayerArrays(broken, { inShapes: [[3]] });
    expect(full.ok).toBe(false);
    const a = full.arrays.find((t) => t.name === 'a')!;
    const diff = Array.from(a.analytic, (v, i) => Math.abs(v - a.numeric[i]));
    expect(diff.indexOf(Math.max(...diff))).toBe(1);
    expect(full.tensors.find((t) => t.name === 'a')!.worst.index).toEqual([1]);
    expect(full.tensors.find((t) => t.name === 'x')!.ok).toBe(true);
  });

  it('passes gradcheckLayer’s message on for a layer that cannot be checked', () => {
    const bad: LayerDefinition = {
      ...wacky,
      type: 'Bad',
      build: () => {
        throw new Error('no shapes today');
      },
    };
    const full = gradcheckLayerArrays(bad, { inShapes: [[2]] });
    expect(full.ok).toBe(false);
    expect(full.arrays).toEqual([]);
    expect(full.error).toMatch(/no shapes today/);
  });

  it('works for built-in layers too (Dense: x, weight, bias)', () => {
    const full = gradcheckLayerArrays(BUILTIN_LAYERS.Dense, {
      inShapes: [[3]],
      params: { units: 2 },
    });
    expect(full.ok).toBe(true);
    expect(full.arrays.map((a) => a.name)).toEqual(['x', 'weight', 'bias']);
  });
});
