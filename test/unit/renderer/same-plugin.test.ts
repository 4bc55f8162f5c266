// Loading a plugin whose file name or layer types a user plugin already has: nothing is kept
// until the user answers Replace, Keep both or Cancel, and each answer does what it says.
import { describe, expect, it } from 'vitest';
import {
  freePluginName,
  samePluginQuestion,
  useSamePluginStore,
} from '../../../renderer/stores/same-plugin';
import { usePluginsStore } from '../../../renderer/stores/plugins';
import type { PluginStatus } from '../../../renderer/worker/protocol-types';
import type { FakeWorker } from './helpers/fake-worker';
import { flush, freshStores } from './helpers/stores';

describe('freePluginName', () => {
  it('adds the first free number before the extension', () => {
    expect(freePluginName('gated-sum.js', new Set(['gated-sum.js']))).toBe('gated-sum-2.js');
    expect(
      freePluginName('gated-sum.js', new Set(['gated-sum.js', 'gated-sum-2.js', 'gated-sum-3.js'])),
    ).toBe('gated-sum-4.js');
    expect(freePluginName('a.b.mts', new Set())).toBe('a.b-2.mts');
  });
});

describe('samePluginQuestion', () => {
  const user = [
    { name: 'gated-sum.js', types: ['GatedSum'] },
    { name: 'other.ts', types: ['Other', 'Shared'] },
  ];
  it('is null when neither the name nor a type is taken', () => {
    expect(samePluginQuestion('new.js', ['New'], user)).toBeNull();
    expect(samePluginQuestion('new.js', null, user)).toBeNull();
  });
  it('names a file of the same name, and where Keep both puts the new one', () => {
    expect(samePluginQuestion('gated-sum.js', null, user)).toEqual({
      name: 'gated-sum.js',
      sameName: true,
      sameTypes: [],
      freeName: 'gated-sum-2.js',
    });
  });
  it('names other files that define one of its types, with those types', () => {
    expect(samePluginQuestion('v2.js', ['Shared', 'GatedSum', 'Fresh'], user)).toEqual({
      name: 'v2.js',
      sameName: false,
      sameTypes: [
        { name: 'gated-sum.js', types: ['GatedSum'] },
        { name: 'other.ts', types: ['Shared'] },
      ],
      freeName: 'v2.js',
    });
  });
});

function ok(file: string, types: string[]): PluginStatus {
  return {
    file,
    ok: true,
    layers: types.map((type) => ({
      type,
      description: '',
      category: 'Plugins',
      params: {},
      inputs: { min: 1, max: 1 },
      hasBackward: true,
      file,
      check: { ok: true, inShapes: [[4]], gradcheck: {} as never, autograd: null, fused: null },
    })),
  };
}

/** Stores with the user plugins gated-sum.js (GatedSum) and other.ts (Other) loaded. */
async function withUserPlugins() {
  const stores = freshStores();
  stores.host.plugins = [
    { file: 'app:wacky.js', origin: 'app', source: 'w' },
    { file: 'user:gated-sum.js', origin: 'user', source: 'old' },
    { file: 'user:other.ts', origin: 'user', source: 'o' },
  ];
  const plugins = usePluginsStore();
  await plugins.init();
  stores.worker.emit({
    type: 'plugins',
    statuses: [
      ok('app:wacky.js', ['Wacky']),
      ok('user:gated-sum.js', ['GatedSum']),
      ok('user:other.ts', ['Other']),
    ],
  });
  return { ...stores, plugins, same: useSamePluginStore() };
}

/** Pick `name`, let the worker say it defines `types`, and wait for the question (if any). */
async function pick<T>(worker: FakeWorker, load: () => Promise<T>, types: string[] | null) {
  const done = load();
  await flush();
  worker.answer('pluginTypes', (m) => ({ type: 'pluginTypes', id: m.id, types }));
  await flush();
  return done;
}

describe('loading a plugin whose name or types are taken', () => {
  it('Cancel keeps nothing and changes nothing', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    host.nextPlugin = { name: 'gated-sum.js', source: 'new' };
    const done = pick(worker, () => plugins.loadPlugin(), ['GatedSum']);
    await flush();
    expect(same.question).toMatchObject({ name: 'gated-sum.js', sameName: true });
    const before = worker.plugins;
    same.answer('cancel');
    expect(await done).toBeNull();
    expect(host.keptPlugins).toEqual([]);
    expect(worker.plugins).toBe(before);
    expect(plugins.sources.find((s) => s.file === 'user:gated-sum.js')?.source).toBe('old');
    expect(same.question).toBeNull();
  });

  it('Replace overwrites the file of the same name', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    host.nextPlugin = { name: 'gated-sum.js', source: 'new' };
    const done = pick(worker, () => plugins.loadPlugin(), ['GatedSum']);
    await flush();
    same.answer('replace');
    expect(await done).toEqual({ file: 'user:gated-sum.js', origin: 'user', source: 'new' });
    expect(host.keptPlugins).toEqual([{ name: 'gated-sum.js', replaces: [] }]);
    expect(worker.plugins).toEqual([
      { file: 'app:wacky.js', source: 'w' },
      { file: 'user:other.ts', source: 'o' },
      { file: 'user:gated-sum.js', source: 'new' },
    ]);
    expect(same.notice).toBeNull();
  });

  it('Keep both keeps it under a free name and says so', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    host.nextPlugin = { name: 'gated-sum.js', source: 'new' };
    const done = pick(worker, () => plugins.loadPlugin(), ['GatedSum']);
    await flush();
    same.answer('keepBoth');
    expect(await done).toEqual({ file: 'user:gated-sum-2.js', origin: 'user', source: 'new' });
    expect(host.keptPlugins).toEqual([{ name: 'gated-sum-2.js', replaces: [] }]);
    expect(worker.plugins?.map((p) => [p.file, p.source])).toEqual([
      ['app:wacky.js', 'w'],
      ['user:gated-sum.js', 'old'],
      ['user:other.ts', 'o'],
      ['user:gated-sum-2.js', 'new'],
    ]);
    expect(same.notice).toBe(
      'Kept gated-sum.js as gated-sum-2.js: a plugin named gated-sum.js is already loaded.',
    );
  });

  it('asks when another file defines one of its layer types; Replace removes that file', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    host.nextPlugin = { name: 'other-v2.ts', source: 'v2' };
    const done = pick(worker, () => plugins.loadPlugin(), ['Other']);
    await flush();
    expect(same.question).toEqual({
      name: 'other-v2.ts',
      sameName: false,
      sameTypes: [{ name: 'other.ts', types: ['Other'] }],
      freeName: 'other-v2.ts',
    });
    same.answer('replace');
    await done;
    expect(host.keptPlugins).toEqual([{ name: 'other-v2.ts', replaces: ['other.ts'] }]);
    expect(worker.plugins?.map((p) => p.file)).toEqual([
      'app:wacky.js',
      'user:gated-sum.js',
      'user:other-v2.ts',
    ]);
  });

  it('a shipped plugin of the same file name is not a user plugin: nothing to ask', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    host.nextPlugin = { name: 'wacky.js', source: 'mine' };
    await pick(worker, () => plugins.loadPlugin(), null);
    expect(same.question).toBeNull();
    expect(host.keptPlugins).toEqual([{ name: 'wacky.js', replaces: [] }]);
  });
});

describe('saving from the layer editor asks the same way', () => {
  it('its own file is not asked about; another file of that name is (Cancel, Keep both)', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    // Editing gated-sum.js and saving it again: nothing to ask.
    const own = await pick(
      worker,
      () => plugins.savePlugin('gated-sum.js', 'edited', { editing: 'gated-sum.js' }),
      ['GatedSum'],
    );
    expect(own?.saved.file).toBe('user:gated-sum.js');
    expect(same.question).toBeNull();
    expect(host.plugins.find((p) => p.file === 'user:gated-sum.js')?.source).toBe('edited');

    // A new layer saved under that name: asked; Cancel writes nothing.
    let done = pick(worker, () => plugins.savePlugin('gated-sum.js', 'new layer'), ['Fresh']);
    await flush();
    expect(same.question).toMatchObject({ name: 'gated-sum.js', sameName: true });
    same.answer('cancel');
    expect(await done).toBeNull();
    expect(host.plugins.find((p) => p.file === 'user:gated-sum.js')?.source).toBe('edited');

    // Keep both: kept under the free name, the other file untouched.
    done = pick(worker, () => plugins.savePlugin('gated-sum.js', 'new layer'), ['Fresh']);
    await flush();
    same.answer('keepBoth');
    expect((await done)?.saved.file).toBe('user:gated-sum-2.js');
    expect(host.plugins.find((p) => p.file === 'user:gated-sum.js')?.source).toBe('edited');
    expect(plugins.sources.map((s) => s.file)).toContain('user:gated-sum-2.js');
  });

  it('a layer type another file defines: Replace removes that file', async () => {
    const { host, worker, plugins, same } = await withUserPlugins();
    const done = pick(worker, () => plugins.savePlugin('mine.js', 'other again'), ['Other']);
    await flush();
    expect(same.question).toMatchObject({
      name: 'mine.js',
      sameName: false,
      sameTypes: [{ name: 'other.ts', types: ['Other'] }],
    });
    same.answer('replace');
    expect(await done).toEqual({
      saved: { file: 'user:mine.js', origin: 'user', source: 'other again' },
      replaced: ['other.ts'],
      types: ['Other'],
    });
    expect(host.plugins.map((p) => p.file)).not.toContain('user:other.ts');
    expect(plugins.sources.map((s) => s.file)).not.toContain('user:other.ts');
  });
});
