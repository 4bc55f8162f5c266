import { describe, expect, it } from 'vitest';
import type { PluginCheck } from '../../../../core/plugins/catalog';
import { describeCheck, pluginFileName } from '../../../../renderer/panels/plugins/plugin-check';

const tensor = (
  name: string,
  ok: boolean,
  worst = { index: [0, 1], analytic: 0.5, numeric: 1 },
) => ({
  name,
  shape: [2, 3],
  ok,
  maxAbsError: ok ? 1e-9 : 0.5,
  maxRelError: ok ? 1e-7 : 0.5,
  worst,
});

describe('plugin gradient check in words', () => {
  it('names the tensor, the worst index and analytic vs numeric when a gradient is wrong', () => {
    const check: PluginCheck = {
      ok: false,
      inShapes: [[3]],
      gradcheck: { ok: false, layer: 'Bad', tensors: [tensor('x', false), tensor('a', true)] },
      autograd: {
        traceable: true,
        ok: false,
        maxAbsDiff: 0.25,
        tensor: 'x',
        message: 'backward differs from autograd by 0.25',
      },
      fused: null,
    };
    const lines = describeCheck(check);
    expect(lines).toEqual([
      {
        ok: false,
        text: 'Gradient of x is wrong at [0, 1]: analytic 0.5 vs numeric 1 (max abs error 0.5, rel 0.5)',
      },
      { ok: false, text: 'backward differs from autograd by 0.25 (tensor x)' },
    ]);
  });

  it('says what passed, and that autograd does the backward when none is written', () => {
    const check: PluginCheck = {
      ok: true,
      inShapes: [[3]],
      gradcheck: { ok: true, layer: 'Fine', tensors: [tensor('x', true), tensor('w', true)] },
      autograd: null,
      fused: null,
    };
    expect(describeCheck(check)).toEqual([
      { ok: true, text: 'Gradients match finite differences (x, w; max error 1e-9)' },
      { ok: true, text: 'No backward written: autograd differentiates the forward' },
    ]);
  });

  it('shows why a check could not finish', () => {
    const check: PluginCheck = {
      ok: false,
      inShapes: [[3]],
      gradcheck: { ok: false, layer: 'Boom', tensors: [], error: 'forward threw: nope' },
      autograd: null,
      fused: null,
    };
    expect(describeCheck(check)).toEqual([{ ok: false, text: 'forward threw: nope' }]);
  });

  it('says whether a fused kernel computes what forward and backward compute', () => {
    const base = {
      inShapes: [[3]],
      gradcheck: { ok: true, layer: 'F', tensors: [tensor('x', true)] },
      autograd: null,
    };
    const good: PluginCheck = {
      ...base,
      ok: true,
      fused: { ok: true, identical: true, maxAbsDiff: 0, message: 'bit for bit' },
    };
    expect(describeCheck(good).at(-1)).toEqual({
      ok: true,
      text: 'Fused kernel gives what forward and backward give, bit for bit',
    });
    const bad: PluginCheck = {
      ...base,
      ok: false,
      fused: {
        ok: false,
        identical: false,
        maxAbsDiff: 0.5,
        tensor: 'y',
        message: 'fused kernel differs from forward and backward in y by up to 5.000e-1',
      },
    };
    expect(describeCheck(bad).at(-1)).toEqual({
      ok: false,
      text: 'fused kernel differs from forward and backward in y by up to 5.000e-1',
    });
  });

  it('shortens plugin file ids', () => {
    expect(pluginFileName('app:wacky.js')).toBe('wacky.js');
    expect(pluginFileName('/home/me/.backprop-lab/plugins/swish.ts')).toBe('swish.ts');
  });
});
