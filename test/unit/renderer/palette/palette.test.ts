// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { PluginCheck } from '../../../../core/plugins/catalog';
import { LAYER_MIME } from '../../../../renderer/builder/canvas-bridge';
import LayerPalette from '../../../../renderer/palette/LayerPalette.vue';
import { brokenText, checkWarning } from '../../../../renderer/palette/palette-text';
import { useGraphStore } from '../../../../renderer/stores/graph';
import type { PluginLayerInfo } from '../../../../renderer/worker/protocol-types';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, freshStores } from '../helpers/stores';

const BAD_CHECK: PluginCheck = {
  ok: false,
  inShapes: [[4]],
  gradcheck: {
    ok: false,
    layer: 'Wacky',
    tensors: [
      {
        name: 'x',
        shape: [2, 4],
        ok: true,
        maxAbsError: 0,
        maxRelError: 0,
        worst: { index: [0, 0], analytic: 1, numeric: 1 },
      },
      {
        name: 'a',
        shape: [4],
        ok: false,
        maxAbsError: 0.5,
        maxRelError: 0.5,
        worst: { index: [3], analytic: 0.25, numeric: 0.125 },
      },
    ],
  },
  autograd: null,
  fused: null,
};

function layer(type: string, over: Partial<PluginLayerInfo> = {}): PluginLayerInfo {
  return {
    type,
    description: `${type} layer`,
    category: 'Examples',
    params: {},
    inputs: { min: 1, max: 1 },
    hasBackward: true,
    file: 'app:wacky.js',
    check: { ...BAD_CHECK, ok: true, gradcheck: { ...BAD_CHECK.gradcheck, ok: true } },
    ...over,
  };
}

function setup() {
  const { worker, host } = freshStores<FakeWorker>();
  const pinia = createPinia();
  const wrapper = mount(LayerPalette, { global: { plugins: [pinia] }, attachTo: document.body });
  const graph = useGraphStore(pinia);
  graph.load(XOR);
  return { wrapper, graph, worker, host };
}

const names = (w: ReturnType<typeof setup>['wrapper']) =>
  w.findAll('[role=listitem]').map((li) => li.attributes('aria-label'));

describe('layer palette', () => {
  it('lists the layers by category, each item named exactly by its type', () => {
    const { wrapper } = setup();
    const groups = wrapper.findAll('.group-title').map((h) => h.text());
    expect(groups).toEqual(['Input', 'Layers', 'Activations', 'Merge', 'Regularization']);
    expect(wrapper.findAll('[role=list]')).toHaveLength(5);
    expect(names(wrapper)).toEqual([
      'Input',
      'Dense',
      'Sigmoid',
      'Tanh',
      'ReLU',
      'LeakyReLU',
      'Softmax',
      'GELU',
      'Add',
      'Concat',
      'Dropout',
    ]);
    const dense = wrapper.find('[aria-label=Dense]');
    expect(dense.attributes('draggable')).toBe('true');
    const desc = wrapper.find(`#${dense.attributes('aria-describedby')}`);
    expect(desc.text()).toBe('Fully connected: y = x·Wᵀ + b');
    expect(dense.attributes('title')).toContain('Fully connected');
    wrapper.unmount();
  });

  it('filters by type and description', async () => {
    const { wrapper } = setup();
    const search = wrapper.find('input[type=search]');
    expect(search.attributes('aria-label')).toBe('Search layers');
    await search.setValue('relu');
    expect(names(wrapper)).toEqual(['ReLU', 'LeakyReLU']);
    expect(wrapper.findAll('.group-title').map((h) => h.text())).toEqual(['Activations']);
    await search.setValue('fully connected');
    expect(names(wrapper)).toEqual(['Dense']);
    await search.setValue('nothing like this');
    expect(names(wrapper)).toEqual([]);
    expect(wrapper.text()).toContain('No layer matches “nothing like this”');
    await search.setValue('');
    expect(names(wrapper)).toHaveLength(11);
    wrapper.unmount();
  });

  it('carries the layer type when an item is dragged', async () => {
    const { wrapper } = setup();
    const dt = new DataTransfer();
    const e = new DragEvent('dragstart', { bubbles: true });
    Object.defineProperty(e, 'dataTransfer', { value: dt });
    wrapper.find('[aria-label=Tanh]').element.dispatchEvent(e);
    expect(dt.getData(LAYER_MIME)).toBe('Tanh');
    expect(dt.getData('text/plain')).toBe('Tanh');
    wrapper.unmount();
  });

  it('adds a layer on double-click or Enter, beside and fed by the selected node', async () => {
    const { wrapper, graph } = setup();
    graph.select(['h1']);
    await wrapper.find('[aria-label=Dense]').trigger('dblclick');
    expect(graph.node('dense1')?.inputs).toEqual(['h1']);
    await wrapper.find('[aria-label=ReLU]').trigger('keydown', { key: 'Enter' });
    expect(graph.node('relu1')?.inputs).toEqual(['dense1']);
    await flushPromises();
    expect(wrapper.find('[role=status]').text()).toBe('Added ReLU relu1');
    wrapper.unmount();
  });

  it('moves between items with the arrow keys', async () => {
    const { wrapper } = setup();
    const input = wrapper.find('[aria-label=Input]');
    (input.element as HTMLElement).focus();
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Dense');
    wrapper.unmount();
  });

  it('shows plugin layers with their file and a failed gradient check', async () => {
    const { wrapper, worker } = setup();
    worker.emit({
      type: 'plugins',
      statuses: [
        {
          file: 'app:wacky.js',
          ok: true,
          layers: [layer('Wacky', { check: BAD_CHECK }), layer('Swish')],
        },
        {
          file: 'user:oops.ts',
          ok: false,
          error: { message: "Unexpected token ')'", line: 3, column: 14 },
          layers: [],
        },
      ],
    });
    await flushPromises();
    expect(wrapper.findAll('.group-title').map((h) => h.text())).toContain('Examples');
    const wacky = wrapper.find('[aria-label=Wacky]');
    expect(wacky.find('.file').text()).toBe('wacky.js');
    const warn = wacky.find('.warn');
    expect(warn.attributes('title')).toBe(
      'Gradient check failed for a at [3]: analytic 0.25 vs numeric 0.125',
    );
    expect(wrapper.find('[aria-label=Swish] .warn').exists()).toBe(false);
    const broken = wrapper.find('[aria-label="Broken plugins"]');
    expect(broken.text()).toContain('oops.ts');
    expect(broken.text()).toContain("Unexpected token ')' (line 3:14)");
    wrapper.unmount();
  });

  it('loads a plugin through the host', async () => {
    const { wrapper, worker, host } = setup();
    host.nextPlugin = { name: 'mine.js', source: 'export default {}' };
    const button = wrapper.findAll('button').find((b) => b.text() === 'Load plugin…')!;
    await button.trigger('click');
    await flushPromises();
    worker.answer('pluginTypes', (m) => ({ type: 'pluginTypes', id: m.id, types: ['Mine'] }));
    await flushPromises();
    expect(worker.plugins?.map((p) => p.file)).toContain('user:mine.js');
    // The web host has no plugin folder to open.
    expect(wrapper.findAll('button').some((b) => b.text() === 'Open plugin folder')).toBe(false);
    wrapper.unmount();
  });
});

describe('palette texts', () => {
  it('explains a failed check and a broken file', () => {
    expect(checkWarning(undefined)).toBeNull();
    expect(
      checkWarning({
        ...BAD_CHECK,
        gradcheck: { ...BAD_CHECK.gradcheck, tensors: [], error: 'forward threw' },
        autograd: {
          traceable: true,
          ok: false,
          maxAbsDiff: 0.3,
          tensor: 'x',
          message: 'backward disagrees with autograd on x by 0.3',
        },
      }),
    ).toBe('Gradient check: forward threw\nbackward disagrees with autograd on x by 0.3');
    expect(brokenText({ file: 'a.js', ok: false, error: { message: 'no type' }, layers: [] })).toBe(
      'no type',
    );
  });
});
