// The catalog's life cycle, as the app's plugin folder drives it: files are loaded, changed,
// broken, fixed and removed while the others keep working.
import { describe, expect, it } from 'vitest';
import type { LayerRegistry } from '../../../core/layers/registry';
import { runLayer } from '../../../core/layers/run';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { brokenMessage, newCatalog, shipped } from './helpers';

/** y = k·x with a backward that multiplies by `back` (k when correct). */
function scaleBy(type: string, k: number, back = k): string {
  return `export default {
  type: '${type}',
  description: 'y = ${k} x',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward: (ctx, x) => ctx.ops.scale(x, ${k}),
  backward: (ctx, gy) => ({ x: ctx.ops.scale(gy, ${back}) }),
};
`;
}

/** What the registry's layer `type` makes of the one-sample input `values`. */
function apply(registry: LayerRegistry, type: string, values: number[]): number[] {
  const { def, source } = registry.get(type)!;
  const x = Tensor.from(values, [1, values.length]);
  const y = runLayer(
    def,
    [x],
    {},
    {
      node: 'n',
      source,
      params: {},
      training: false,
      rng: new Rng(0),
      outShape: [values.length],
      multiInput: false,
    },
  );
  return Array.from(y.data);
}

describe('PluginCatalog: load, reload, break, fix, remove', () => {
  it('reloading a changed file brings its new behaviour and a new check', async () => {
    const catalog = newCatalog();
    const v1 = await catalog.load('scale.js', scaleBy('Scale', 2));
    expect(v1.layers[0]).toMatchObject({ description: 'y = 2 x', check: { ok: true } });
    expect(apply(catalog.registry(), 'Scale', [1, -3])).toEqual([2, -6]);

    // Edited: forward now triples, but backward still doubles.
    const v2 = await catalog.load('scale.js', scaleBy('Scale', 3, 2));
    expect(v2.ok).toBe(true);
    expect(v2.layers[0].description).toBe('y = 3 x');
    expect(v2.layers[0].check.ok).toBe(false);
    expect(v2.layers[0].check.gradcheck.tensors[0]).toMatchObject({ name: 'x', ok: false });
    expect(apply(catalog.registry(), 'Scale', [1, -3])).toEqual([3, -9]);
    expect(catalog.statuses()).toHaveLength(1);
    expect(catalog.status('scale.js')).toBe(v2);
  });

  it('a file that breaks is marked broken; the other files keep working; fixing it restores it', async () => {
    const catalog = newCatalog();
    await catalog.load('wacky.js', shipped('wacky.js'));
    await catalog.load('scale.js', scaleBy('Scale', 2));

    const broken = await catalog.load('scale.js', 'export default { type: "Scale", build( };');
    expect(brokenMessage(broken)).toBe('scale.js:1:40: syntax error: Unexpected token');
    expect(broken.layers).toEqual([]);
    expect(catalog.statuses().map((s) => [s.file, s.ok])).toEqual([
      ['wacky.js', true],
      ['scale.js', false],
    ]);
    const registry = catalog.registry();
    expect(registry.has('Scale')).toBe(false);
    expect(registry.has('Wacky')).toBe(true);
    expect(registry.get('Wacky')!.source).toBe('wacky.js');

    const fixed = await catalog.load('scale.js', scaleBy('Scale', 5));
    expect(fixed.ok).toBe(true);
    expect(fixed.error).toBeUndefined();
    expect(fixed.layers[0].check.ok).toBe(true);
    expect(apply(catalog.registry(), 'Scale', [1])).toEqual([5]);
  });

  it('a file can rename its layer when reloaded', async () => {
    const catalog = newCatalog();
    await catalog.load('scale.js', scaleBy('Scale', 2));
    await catalog.load('scale.js', scaleBy('Stretch', 2));
    const registry = catalog.registry();
    expect([registry.has('Scale'), registry.has('Stretch')]).toEqual([false, true]);
  });

  it('removing a file takes its layers away', async () => {
    const catalog = newCatalog();
    await catalog.load('scale.js', scaleBy('Scale', 2));
    await catalog.load('wacky.js', shipped('wacky.js'));
    catalog.remove('scale.js');
    expect(catalog.status('scale.js')).toBeUndefined();
    expect(catalog.statuses().map((s) => s.file)).toEqual(['wacky.js']);
    expect(catalog.registry().has('Scale')).toBe(false);
    expect(catalog.registry().has('Wacky')).toBe(true);
  });

  it('a clash resolves when the other file is removed and the first is loaded again', async () => {
    const catalog = newCatalog();
    await catalog.load('mine.js', scaleBy('Scale', 2));
    const theirs = await catalog.load('theirs.js', scaleBy('Scale', 3));
    expect(brokenMessage(theirs)).toBe(
      "theirs.js: layer type 'Scale' clashes with the same type in mine.js",
    );
    // Reloading the first file does not clash with the broken one.
    expect((await catalog.load('mine.js', scaleBy('Scale', 2))).ok).toBe(true);

    catalog.remove('mine.js');
    // Still broken until it is loaded again (the watcher reloads it).
    expect(catalog.status('theirs.js')!.ok).toBe(false);
    expect(catalog.registry().has('Scale')).toBe(false);
    const again = await catalog.load('theirs.js', scaleBy('Scale', 3));
    expect(again.ok).toBe(true);
    expect(apply(catalog.registry(), 'Scale', [1])).toEqual([3]);
  });

  it('a file that breaks no longer blocks its type for another file', async () => {
    const catalog = newCatalog();
    await catalog.load('old.js', scaleBy('Scale', 2));
    await catalog.load('old.js', 'export default 1;');
    const moved = await catalog.load('new.js', scaleBy('Scale', 4));
    expect(moved.ok).toBe(true);
    expect(catalog.registry().get('Scale')!.source).toBe('new.js');
  });
});
