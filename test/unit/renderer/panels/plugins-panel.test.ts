// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PluginStatus } from '../../../../core/plugins/catalog';
import PluginsPanel from '../../../../renderer/panels/plugins/PluginsPanel.vue';
import { usePluginsStore } from '../../../../renderer/stores/plugins';
import type { FakeWorker } from '../helpers/fake-worker';
import { freshStores } from '../helpers/stores';
import { mountWithStores } from '../toolbar/helpers';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.useRealTimers();
});

const okLayer = (type: string, ok = true) => ({
  type,
  description: `${type} layer`,
  category: 'Plugins',
  params: {},
  inputs: { min: 1, max: 1 },
  hasBackward: true,
  file: 'app:good.js',
  check: {
    ok,
    inShapes: [[4]],
    gradcheck: {
      ok,
      layer: type,
      tensors: [
        {
          name: 'x',
          shape: [2, 4],
          ok,
          maxAbsError: ok ? 1e-10 : 0.75,
          maxRelError: ok ? 1e-8 : 0.5,
          worst: { index: [1, 3], analytic: 0.25, numeric: 1 },
        },
      ],
    },
    autograd: { traceable: true, ok: true, maxAbsDiff: 0, message: 'agrees' },
    fused: null,
  },
});

const statuses: PluginStatus[] = [
  { file: 'app:good.js', ok: true, layers: [okLayer('Good')] },
  { file: 'user:bad-grad.js', ok: true, layers: [okLayer('BadGrad', false)] },
  {
    file: 'user:oops.js',
    ok: false,
    error: { message: 'user:oops.js:7:15: syntax error: Unexpected token', line: 7, column: 15 },
    layers: [],
  },
];

async function setup() {
  const { worker, host } = freshStores<FakeWorker>();
  host.plugins = [
    { file: 'app:good.js', origin: 'app', source: 'a' },
    { file: 'user:bad-grad.js', origin: 'user', source: 'b' },
    { file: 'user:oops.js', origin: 'user', source: 'c' },
  ];
  const plugins = usePluginsStore();
  await plugins.init();
  worker.emit({ type: 'plugins', statuses });
  const wrapper = mountWithStores(PluginsPanel);
  unmount = () => wrapper.unmount();
  await flushPromises();
  return { wrapper, worker, host, plugins };
}

describe('plugins panel', () => {
  it('lists broken files first with line:column, then failing checks with the details', async () => {
    const { wrapper } = await setup();
    const files = wrapper.findAll('.file');
    expect(files.map((f) => f.get('.file-name').text())).toEqual([
      'oops.js',
      'bad-grad.js',
      'good.js',
    ]);
    expect(files[0].text()).toContain('broken');
    expect(files[0].get('.pos').text()).toBe('line 7:15');
    expect(files[0].text()).toContain('Unexpected token');

    const bad = files[1];
    expect(bad.get('details').attributes('open')).toBeDefined();
    expect(bad.text()).toContain('gradient check failed');
    expect(bad.text()).toContain('Gradient of x is wrong at [1, 3]: analytic 0.25 vs numeric 1');
    const good = files[2];
    expect(good.get('details').attributes('open')).toBeUndefined();
    expect(good.text()).toContain('gradients ok');
    expect(good.text()).toContain('Gradients match finite differences');
    expect(good.text()).toContain('shipped');
  });

  it('loads a plugin through the host and shows a short "reloaded" note when a file changes', async () => {
    vi.useFakeTimers();
    const { wrapper, host, worker } = await setup();
    host.nextPlugin = { name: 'new.js', source: 'n' };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Load plugin…')!
      .trigger('click');
    await flushPromises();
    worker.answer('pluginTypes', (m) => ({ type: 'pluginTypes', id: m.id, types: ['New'] }));
    await flushPromises();
    expect(worker.plugins!.map((p) => p.file)).toContain('user:new.js');

    host.emitPluginsChanged({ file: 'app:good.js', source: 'a2' });
    // The worker answers with a fresh list after loading the changed file.
    worker.emit({ type: 'plugins', statuses: structuredClone(statuses) });
    await flushPromises();
    const good = wrapper.findAll('.file').find((f) => f.text().includes('good.js'))!;
    expect(good.text()).toContain('reloaded');
    vi.advanceTimersByTime(5000);
    await flushPromises();
    expect(wrapper.text()).not.toContain('reloaded');
  });

  it('shows a host problem without the Electron IPC wrapper', async () => {
    const { wrapper, host } = await setup();
    // What Electron's ipcRenderer.invoke throws when main's 'plugins:pick' handler fails.
    host.pickPlugin = async () => {
      throw new Error(
        "Error invoking remote method 'plugins:pick': LabError: Could not load plugin /home/me/x.js: x.js is too big",
      );
    };
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Load plugin…')!
      .trigger('click');
    await flushPromises();
    expect(wrapper.get('[role=alert]').text()).toBe(
      'the plugin could not be loaded: Could not load plugin /home/me/x.js: x.js is too big',
    );
  });
});
