import { describe, expect, it } from 'vitest';
import { formatGradcheck, gradcheckLayer } from '../../../core/gradcheck';
import { BUILTIN_LAYERS } from '../../../core/layers/builtin';
import { scaleBackward, scaleLayer } from './scale-layer';

describe('formatGradcheck', () => {
  it('prints one row per tensor with errors, worst element and verdict', () => {
    const text = formatGradcheck(
      gradcheckLayer(BUILTIN_LAYERS.Dense, { inShapes: [[3]], params: { units: 2 } }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('gradcheck Dense: PASS');
    expect(lines[1].split(/\s+/).filter(Boolean)).toEqual([
      'tensor',
      'shape',
      'max',
      'abs',
      'err',
      'max',
      'rel',
      'err',
      'worst',
      'index',
      'analytic',
      'numeric',
      'result',
    ]);
    expect(lines.slice(3).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['x', 'weight', 'bias']);
    expect(lines[4]).toMatch(
      /^ {2}weight +\[2, 3\] +\d\.\d\de-\d+ +\d\.\d\de-\d+ +\[\d, \d\] .* PASS$/,
    );
  });

  it('marks the failing tensor', () => {
    const r = gradcheckLayer(scaleLayer(scaleBackward(undefined, () => 3)), { inShapes: [[2]] });
    const text = formatGradcheck(r);
    expect(text.split('\n')[0]).toBe('gradcheck Scale: FAIL');
    expect(text).toMatch(/\n {2}x .* PASS\n {2}a .* FAIL$/);
  });

  it('prints the error of a check that could not finish', () => {
    const r = gradcheckLayer(
      scaleLayer((_ctx, gy) => ({ x: gy })),
      { inShapes: [[2]] },
    );
    expect(formatGradcheck(r)).toBe(`gradcheck Scale: FAIL\n  error: ${r.error}`);
  });
});
