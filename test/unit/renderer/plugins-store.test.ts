import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useGraphStore } from '../../../renderer/stores/graph';
import { usePluginsStore } from '../../../renderer/stores/plugins';
import { WorkerClient } from '../../../renderer/worker/client';
import type { PluginStatus } from '../../../renderer/worker/protocol-types';
import { inProcessWorker, until } from './helpers/in-process-worker';
import { XOR, flush, freshStores } from './helpers/stores';

const source = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../plugins/${name}`, import.meta.url)), 'utf8');

function layer(type: string, file: string, category = 'Examples'): PluginStatus['layers'][number] {
  return {
    type,
    description: `${type} layer`,
    category,
    params: {},
    inputs: { min: 1, max: 1 },
    hasBackward: true,
    file,
    check: { ok: true, inShapes: [[4]], gradcheck: {} as never, autograd: null, fused: null },
  };
}

describe('plugins store (fake worker)', () => {
  it('sends the host’s plugin files to the worker and keeps the statuses it answers', async () => {
    const { host, worker } = freshStores();
    host.plugins = [{ file: 'app:wacky.js', origin: 'app', source: 'w' }];
    const plugins = usePluginsStore();
    await plugins.init();
    expect(worker.plugins).toEqual([{ file: 'app:wacky.js', source: 'w' }]);
    expect(plugins.loading).toBe(true);
    worker.emit({
      type: 'plugins',
      statuses: [{ file: 'app:wacky.js', ok: true, layers: [layer('Wacky', 'app:wacky.js')] }],
    });
    expect(plugins.loading).toBe(false);
    expect(plugins.layerInfo('Wacky')).toMatchObject({
      source: 'app:wacky.js',
      category: 'Examples',
    });
  });

  it('groups the palette: built-in groups first, plugin groups after; search filters it', () => {
    const { worker } = freshStores();
    const plugins = usePluginsStore();
    worker.emit({
      type: 'plugins',
      statuses: [
        {
          file: 'user:x.js',
          ok: true,
          layers: [layer('Wacky', 'user:x.js'), layer('Zeta', 'user:x.js', 'Aardvark')],
        },
      ],
    });
    expect(plugins.palette.map((g) => g.category)).toEqual([
      'Input',
      'Layers',
      'Activations',
      'Merge',
      'Regularization',
      'Aardvark',
      'Examples',
    ]);
    expect(
      plugins.palette.find((g) => g.category === 'Activations')!.layers.map((l) => l.type),
    ).toEqual(['Sigmoid', 'Tanh', 'ReLU', 'LeakyReLU', 'Softmax', 'GELU']);
    expect(plugins.searchPalette('wack')).toEqual([
      { category: 'Examples', layers: [expect.objectContaining({ type: 'Wacky' })] },
    ]);
    expect(plugins.searchPalette('fully').flatMap((g) => g.layers.map((l) => l.type))).toEqual([
      'Dense',
    ]);
  });

  it('follows the user’s plugin folder: changed files are sent again, removed ones dropped', async () => {
    const { host, worker } = freshStores();
    host.plugins = [{ file: 'user:a.js', origin: 'user', source: '1' }];
    const plugins = usePluginsStore();
    await plugins.init();
    host.emitPluginsChanged({ file: 'user:a.js', source: '2' });
    expect(worker.plugins).toEqual([{ file: 'user:a.js', source: '2' }]);
    host.emitPluginsChanged({ file: 'user:b.ts', source: '3' });
    expect(worker.plugins?.map((p) => p.file)).toEqual(['user:a.js', 'user:b.ts']);
    host.emitPluginsChanged({ file: 'user:a.js', source: null });
    expect(worker.plugins).toEqual([{ file: 'user:b.ts', source: '3' }]);
  });

  it('loadPlugin keeps a picked file whose name and layer types are free, without asking', async () => {
    const { host, worker } = freshStores();
    const plugins = usePluginsStore();
    await plugins.init();
    host.nextPlugin = { name: 'mine.js', source: 'm' };
    const loading = plugins.loadPlugin();
    await flush();
    const asked = worker.answer('pluginTypes', (m) => ({
      type: 'pluginTypes',
      id: m.id,
      types: ['Mine'],
    }));
    expect(asked).toMatchObject({ file: 'user:mine.js', source: 'm' });
    expect(await loading).toEqual({ file: 'user:mine.js', origin: 'user', source: 'm' });
    expect(host.keptPlugins).toEqual([{ name: 'mine.js', replaces: [] }]);
    expect(worker.plugins).toEqual([{ file: 'user:mine.js', source: 'm' }]);
    host.nextPlugin = null;
    expect(await plugins.loadPlugin()).toBeNull();
    expect(host.keptPlugins).toHaveLength(1);
  });
});

describe('plugins store over the real worker code', () => {
  it('loads the shipped plugins, marks a broken one, and the graph checks plugin nodes', async () => {
    const w = inProcessWorker();
    const client = new WorkerClient({ spawn: w.spawn });
    const { host } = freshStores({ worker: client });
    host.plugins = [
      { file: 'app:wacky.js', origin: 'app', source: source('wacky.js') },
      { file: 'app:swish.ts', origin: 'app', source: source('swish.ts') },
      { file: 'user:broken.js', origin: 'user', source: 'export default { type: "Broken" ' },
    ];
    const graph = useGraphStore();
    graph.load(XOR);
    const plugins = usePluginsStore();
    await plugins.init();
    await until(() => !plugins.loading, 'the plugin statuses');
    expect(plugins.statuses.map((s) => [s.file, s.ok])).toEqual([
      ['app:wacky.js', true],
      ['app:swish.ts', true],
      ['user:broken.js', false],
    ]);
    expect(plugins.broken[0].error?.message).toContain('user:broken.js');
    expect(plugins.pluginLayers.map((l) => [l.type, l.check?.gradcheck.ok])).toEqual([
      ['Wacky', true],
      ['Swish', true],
    ]);

    graph.apply({ type: 'addNode', nodeType: 'Swish', id: 's', inputs: ['fc1'] });
    await flush();
    await until(() => !graph.validating && graph.summary?.nodes.s !== undefined, 'the check');
    expect(graph.summary!.nodes.s.outShape).toEqual([8]);
    client.dispose();
  });
});
