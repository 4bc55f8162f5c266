// A plugin's fused kernel is trusted only once it computes what the layer's forward and backward
// compute: checked when the plugin loads, on buffers that start full of NaN.
import { describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../core/layers/contract';
import type { FusedKernel } from '../../../core/layers/fused';
import { checkFusedKernel } from '../../../core/plugins/fused-check';
import { loadOne, shipped } from './helpers';

/** y = 2x, with a kernel to vary. */
function doubling(fused: FusedKernel): LayerDefinition {
  return {
    type: 'Double',
    build: ({ inShapes }) => ({ outShape: inShapes[0] }),
    forward: (ctx, x) => ctx.ops.scale(x as never, 2),
    fused,
  };
}

const opts = { inShapes: [[4]], source: 'double.js' };

describe('the fused kernel check', () => {
  it('passes a kernel that gives the same bits', () => {
    const r = checkFusedKernel(
      doubling({
        forward: (s) => s.x.forEach((v, i) => (s.y[i] = 2 * v)),
        backward: (s) => s.gx?.forEach((_, i) => (s.gx![i] = 2 * s.gy[i])),
      }),
      opts,
    );
    expect(r).toMatchObject({ ok: true, identical: true, maxAbsDiff: 0 });
  });

  it('fails a kernel that leaves part of its output unwritten (the buffers hold old values)', () => {
    const r = checkFusedKernel(
      doubling({
        forward: (s) => s.x.forEach((v, i) => v > 0 && (s.y[i] = 2 * v)),
        backward: (s) => s.gx?.forEach((_, i) => (s.gx![i] = 2 * s.gy[i])),
      }),
      { ...opts, batch: 8 },
    );
    expect(r).toMatchObject({ ok: false, tensor: 'y' });
  });

  it('fails a kernel with a wrong gradient, naming it', () => {
    const r = checkFusedKernel(
      doubling({
        forward: (s) => s.x.forEach((v, i) => (s.y[i] = 2 * v)),
        backward: (s) => s.gx?.forEach((_, i) => (s.gx![i] = s.gy[i])),
      }),
      opts,
    );
    expect(r).toMatchObject({ ok: false, tensor: 'x' });
    expect(r!.message).toMatch(/in x by up to .* \(input shape \[4\]\): training uses the tape/);
  });

  it('fails a kernel that cannot run as a first layer or for a frozen node', () => {
    const r = checkFusedKernel(
      doubling({
        forward: (s) => s.x.forEach((v, i) => (s.y[i] = 2 * v)),
        backward: (s) => s.gy.forEach((g, i) => (s.gx![i] = 2 * g)),
      }),
      opts,
    );
    expect(r).toMatchObject({ ok: false });
    expect(r!.message).toMatch(/^its backward failed: TypeError: .* as a first layer/);
  });

  it('says when fits() refuses the shapes it is checked at', () => {
    const r = checkFusedKernel(
      doubling({ fits: () => false, forward: () => {}, backward: () => {} }),
      opts,
    );
    expect(r!.message).toBe(
      "its fits() refuses the check's input shape [4]: declare gradcheck.inShapes where it fits",
    );
  });

  it('is null for a layer without a kernel', () => {
    const { fused: _, ...plain } = doubling({ forward: () => {}, backward: () => {} });
    expect(checkFusedKernel(plain as LayerDefinition, opts)).toBeNull();
  });

  it('runs when a plugin loads, and its result stays with the layer', async () => {
    const { status } = await loadOne('prelu.js', shipped('prelu.js'));
    expect(status.layers[0].check.fused).toEqual({
      ok: true,
      identical: true,
      maxAbsDiff: 0,
      message: 'fused kernel gives what forward and backward give, bit for bit',
    });
  });
});
