// @vitest-environment happy-dom
// The shell: layout, tabs, the empty-canvas hint, keys (browser and Electron), dialogs and
// "Show node". The builder, inspector, palette and lab are other parts: stubbed here.
import { flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../../../renderer/App.vue';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { useUiStore } from '../../../../renderer/stores/ui';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, freshStores } from '../helpers/stores';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  document.body.innerHTML = '';
});

async function setup(kind: 'web' | 'electron' = 'web') {
  const { worker, host } = freshStores<FakeWorker>();
  host.kind = kind;
  const graph = useGraphStore();
  graph.load(XOR);
  const wrapper = mount(App, {
    attachTo: document.body,
    global: {
      plugins: [getActivePinia()!],
      stubs: {
        NetworkCanvas: { template: '<div role="region" aria-label="Network canvas" />' },
        LayerPalette: { template: '<ul aria-label="Layers" />' },
        NodeInspector: { template: '<div data-testid="inspector" />' },
        LabPanel: { template: '<div data-testid="lab" />' },
      },
    },
  });
  unmount = () => wrapper.unmount();
  await settled();
  const key = (k: string, o: KeyboardEventInit = {}) => {
    const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...o });
    (document.activeElement ?? document.body).dispatchEvent(e);
    return e;
  };
  return { wrapper, worker, host, graph, key, ui: useUiStore() };
}

/** The canvas, charts, Lab, export dialog and help load as their own chunks: wait for them. */
async function settled(): Promise<void> {
  await flushPromises();
  await vi.dynamicImportSettled();
  await flushPromises();
}

const tabNames = (w: Awaited<ReturnType<typeof setup>>['wrapper']) =>
  w.findAll('[role=tab]').map((t) => t.text());

describe('app shell', () => {
  it('lays out the toolbar, palette, canvas, charts and the sidebar tabs', async () => {
    const { wrapper } = await setup();
    expect(wrapper.find('[aria-label=Training] button').text()).toBe('Train');
    expect(wrapper.find('[aria-label="Layer palette"]').exists()).toBe(true);
    expect(wrapper.findAll('[role=region][aria-label="Network canvas"]')).toHaveLength(1);
    expect(wrapper.find('[aria-label="Training charts"]').exists()).toBe(true);
    expect(tabNames(wrapper)).toEqual(['Inspector', 'Training', 'Plugins', 'Lab', 'Lessons']);
    expect(wrapper.get('[role=tab][aria-selected=true]').text()).toBe('Training');
    expect(wrapper.find('[data-testid=training-panel]').exists()).toBe(true);
    expect(wrapper.findAll('[aria-label=Loss]')).toHaveLength(1);
  });

  it('switches tabs by click and arrow keys; only the chosen panel is mounted', async () => {
    const { wrapper } = await setup();
    await wrapper.findAll('[role=tab]')[2].trigger('click');
    expect(wrapper.find('[data-testid=plugins-panel]').exists()).toBe(true);
    expect(wrapper.find('[data-testid=training-panel]').exists()).toBe(false);
    await wrapper.findAll('[role=tab]')[2].trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(wrapper.find('[data-testid=lab]').exists()).toBe(true);
    expect(document.activeElement?.textContent?.trim()).toBe('Lab');
    await wrapper.findAll('[role=tab]')[3].trigger('keydown', { key: 'Home' });
    expect(wrapper.find('[data-testid=inspector]').exists()).toBe(true);
  });

  it('brings the inspector forward when a node is chosen on the canvas', async () => {
    const { wrapper, graph } = await setup();
    graph.select(['fc1']);
    await flushPromises();
    expect(wrapper.get('[role=tab][aria-selected=true]').text()).toBe('Inspector');
  });

  it('shows the start hint over an empty canvas only', async () => {
    const { wrapper, graph } = await setup();
    expect(wrapper.find('[data-testid=empty-hint]').exists()).toBe(false);
    graph.load({ ...XOR, nodes: [], output: '' });
    await flushPromises();
    expect(wrapper.get('[data-testid=empty-hint]').text()).toContain(
      'Drag an Input from the palette to start',
    );
  });

  it('in a browser: F1 and ? open the help, Escape closes it, shortcuts wait behind a dialog', async () => {
    const { wrapper, key, ui, graph } = await setup();
    key('F1');
    await flushPromises();
    expect(ui.helpOpen).toBe(true);
    expect(wrapper.get('[role=dialog]').text()).toContain('Keyboard shortcuts');
    graph.apply({ type: 'setName', name: 'Edited' });
    // Focus is in the dialog: Ctrl+Z is not the graph's.
    key('z', { ctrlKey: true });
    expect(graph.project.name).toBe('Edited');
    key('Escape');
    await flushPromises();
    expect(ui.helpOpen).toBe(false);
    (document.activeElement as HTMLElement | null)?.blur();
    key('z', { ctrlKey: true });
    expect(graph.project.name).toBe('XOR');
    key('?');
    await flushPromises();
    expect(ui.helpOpen).toBe(true);
  });

  it('in a browser: Ctrl+E opens the Export dialog', async () => {
    const { wrapper, key } = await setup();
    key('e', { ctrlKey: true });
    await settled(); // the dialog is its own chunk
    expect(wrapper.get('[role=dialog]').text()).toContain('Export');
    expect(wrapper.text()).toContain('safetensors weights');
  });

  it('in Electron: the menu sends the shortcuts; only ? is the page’s', async () => {
    const { key, ui, graph } = await setup('electron');
    graph.apply({ type: 'setName', name: 'Edited' });
    key('z', { ctrlKey: true });
    expect(graph.project.name).toBe('Edited');
    key('F1');
    expect(ui.helpOpen).toBe(false);
    key('?');
    expect(ui.helpOpen).toBe(true);
  });

  it('Show node on a failed run selects the node and shows it in the inspector', async () => {
    const { wrapper, worker, graph } = await setup();
    worker.emit({
      type: 'state',
      state: 'failed',
      error: { code: 'NON_FINITE', message: "node 'h1' is not finite", place: { node: 'h1' } },
    });
    await flushPromises();
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Show node')!
      .trigger('click');
    await flushPromises();
    expect(graph.selection).toEqual(['h1']);
    expect(wrapper.get('[role=tab][aria-selected=true]').text()).toBe('Inspector');
  });
});
