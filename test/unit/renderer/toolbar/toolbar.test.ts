// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { useProjectStore } from '../../../../renderer/stores/project';
import { useTrainingStore } from '../../../../renderer/stores/training';
import { useUiStore } from '../../../../renderer/stores/ui';
import AppToolbar from '../../../../renderer/toolbar/AppToolbar.vue';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, flush, freshStores, summaryOf } from '../helpers/stores';
import { mountWithStores, progress } from './helpers';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function setup() {
  const { worker, host } = freshStores<FakeWorker>();
  useGraphStore().load(XOR);
  const wrapper = mountWithStores(AppToolbar);
  unmount = () => wrapper.unmount();
  const button = (name: string) => {
    const b = wrapper.findAll('button').find((x) => x.text() === name);
    if (!b) throw new Error(`no button ${name}`);
    return b;
  };
  const enabled = (name: string) => button(name).attributes('disabled') === undefined;
  return { wrapper, worker, host, button, enabled };
}

describe('toolbar', () => {
  it('has the training buttons with their names and the loss labelled "Loss"', () => {
    const { wrapper, enabled } = setup();
    const names = wrapper.findAll('[aria-label=Training] button').map((b) => b.text());
    expect(names).toEqual(['Train', 'Pause', 'Step', 'Stop', 'Reset']);
    expect([enabled('Train'), enabled('Pause'), enabled('Step'), enabled('Stop')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    const loss = wrapper.find('[aria-label=Loss]');
    expect(loss.text()).toBe('Loss —');
    expect(wrapper.get('[data-testid=epoch]').text()).toMatch(/^Epoch 0\s\/\s200$/);
    expect(wrapper.get('[data-testid=run-state]').text()).toBe('idle');
    expect(wrapper.get('[data-testid=project-name]').text()).toContain('XOR');
  });

  it('says how the matrix products run: threads on the speed, the reason for one in its tooltip', async () => {
    const { wrapper, worker } = setup();
    const rate = () => wrapper.get('[data-testid=rate]');
    expect(rate().attributes('title')).toBe('Training samples per second');
    worker.emit({
      type: 'engine',
      engine: {
        kernel: 'WebAssembly relaxed SIMD',
        mode: 'fast',
        block: '6 × 8',
        threads: 2,
        state: 'on',
        splitProducts: 1234,
      },
    });
    await flushPromises();
    expect(wrapper.get('[data-testid=threads]').text()).toBe('· 2 threads');
    expect(rate().attributes('title')).toBe(
      'Training samples per second. Matrix products: WebAssembly relaxed SIMD (fast mode) in 6 × 8 blocks, the large ones split between 2 threads (1,234 so far).',
    );
    worker.emit({
      type: 'engine',
      engine: {
        kernel: 'WebAssembly SIMD',
        mode: 'fast',
        kernelReason: 'this runtime does not validate relaxed SIMD',
        threads: 1,
        state: 'failed',
        reason:
          'one thread: the page is not cross-origin isolated, so SharedArrayBuffer is not available',
        splitProducts: 0,
      },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid=threads]').exists()).toBe(false);
    expect(rate().attributes('title')).toBe(
      'Training samples per second. Matrix products: WebAssembly SIMD (fast mode: this runtime does not validate relaxed SIMD) on 1 thread: the page is not cross-origin isolated, so SharedArrayBuffer is not available.',
    );
  });

  it('puts what stops Train where the run state is, and shows it on a click', async () => {
    const { wrapper, worker } = setup();
    const graph = useGraphStore();
    const ui = useUiStore();
    const chip = () => wrapper.find('[data-testid=train-blocked-chip]');
    expect(chip().exists()).toBe(false);
    const check = (issues: { path: string; node?: string; message: string }[]) =>
      worker.answer('compile', (m) => ({
        type: 'compileError',
        id: m.id,
        error: { code: 'PROJECT_GRAPH', message: 'problems', place: {}, issues },
        summary: summaryOf({}, false),
      }));
    await flush();
    check([{ path: 'nodes[3].params.units', node: 'fc2', message: 'set fc2 units to 1' }]);
    await flushPromises();
    expect(graph.blocker?.node).toBe('fc2');
    expect(chip().text()).toBe('Fix fc2');
    expect(chip().attributes('title')).toBe(`${graph.blocker!.message} (click to show it)`);
    // The state chip and the speed of a run that cannot start make room for it.
    expect(wrapper.find('[data-testid=run-state]').exists()).toBe(false);
    expect(wrapper.find('[data-testid=rate]').exists()).toBe(false);
    ui.sidebarTab = 'lessons';
    await chip().trigger('click');
    expect(graph.selection).toEqual(['fc2']);
    expect(ui.sidebarTab).toBe('inspector');

    // A problem no node has is shown in the Training tab: the chip names its section.
    graph.apply({ type: 'setParams', id: 'fc2', params: { units: 1 } });
    await flush();
    check([{ path: 'training.epochs', message: 'epochs must be at least 1' }]);
    await flushPromises();
    expect(chip().text()).toBe('Fix the settings');
    await chip().trigger('click');
    expect(ui.sidebarTab).toBe('training');

    graph.apply({ type: 'setTraining', training: { epochs: 5 } });
    await flush();
    worker.answer('compile', (m) => ({ type: 'compiled', id: m.id, summary: summaryOf({}) }));
    await flushPromises();
    expect(chip().exists()).toBe(false);
    expect(wrapper.get('[data-testid=run-state]').text()).toBe('idle');

    // An empty canvas says itself how to start: the state chip stays.
    graph.load({ ...XOR, nodes: [] });
    await flushPromises();
    expect(graph.blocker).not.toBeNull();
    expect(chip().exists()).toBe(false);
    expect(wrapper.get('[data-testid=run-state]').text()).toBe('idle');
  });

  it('follows the run: loss, epoch, speed, state; Pause becomes Resume while paused', async () => {
    const { wrapper, worker, button, enabled } = setup();
    await button('Train').trigger('click');
    expect(worker.sentOf('train')).toHaveLength(1);
    worker.emit({ type: 'state', state: 'running' });
    worker.emit({ type: 'progress', progress: progress() });
    await flushPromises();
    expect(wrapper.get('[aria-label=Loss]').text()).toBe('Loss 0.04213');
    expect(wrapper.get('[data-testid=epoch]').text()).toMatch(/^Epoch 12\s\/\s200$/);
    expect(wrapper.text()).toContain('12.3k samples/s');
    expect(wrapper.get('[data-testid=run-state]').text()).toBe('running');
    expect([enabled('Train'), enabled('Pause'), enabled('Step'), enabled('Stop')]).toEqual([
      false,
      true,
      false,
      true,
    ]);

    await button('Pause').trigger('click');
    expect(worker.sentOf('pause')).toHaveLength(1);
    worker.emit({ type: 'state', state: 'paused' });
    await flushPromises();
    expect(wrapper.get('[data-testid=run-state]').text()).toBe('paused');
    await button('Resume').trigger('click');
    expect(worker.sentOf('resume')).toHaveLength(1);
    expect(wrapper.findAll('button').some((b) => b.text() === 'Pause')).toBe(false);

    worker.emit({ type: 'state', state: 'failed' });
    await flushPromises();
    expect(wrapper.get('[data-testid=run-state]').classes()).toContain('danger');
    expect(enabled('Reset')).toBe(true);
  });

  it('sets the training speed from one step a second to full speed, and sends it with Train', async () => {
    const { wrapper, worker, button } = setup();
    const slider = wrapper.get('input[type=range][aria-label="Training speed"]');
    expect(slider.attributes('aria-valuetext')).toBe('full speed');
    await slider.setValue('0');
    expect(worker.sentOf('speed').at(-1)).toEqual({ type: 'speed', stepsPerSecond: 1 });
    expect(slider.attributes('aria-valuetext')).toBe('1 step/s');
    expect(wrapper.get('.speed output').text()).toBe('1 step/s');
    await slider.setValue('3');
    expect(worker.sentOf('speed').at(-1)).toEqual({ type: 'speed', stepsPerSecond: 10 });
    // Train says the speed first, so a worker started afresh trains at it too.
    await button('Train').trigger('click');
    const kinds = worker.sent.map((m) => m.type);
    expect(kinds.lastIndexOf('speed')).toBe(kinds.indexOf('train') - 1);
    expect(worker.sentOf('speed').at(-1)).toEqual({ type: 'speed', stepsPerSecond: 10 });
    await slider.setValue('5');
    expect(worker.sentOf('speed').at(-1)).toEqual({ type: 'speed', stepsPerSecond: null });
  });

  it('counts epoch and batch as one: after the first step, epoch 1 and batch 1 of 10', async () => {
    const { wrapper, worker, enabled } = setup();
    expect(wrapper.find('[data-testid=batch]').exists()).toBe(false);
    useTrainingStore().train();
    // Pause is there while the run is still starting: the worker applies it as it begins.
    await flushPromises();
    expect(enabled('Pause')).toBe(true);
    worker.emit({ type: 'state', state: 'paused' });
    worker.emit({
      type: 'progress',
      progress: progress({ state: 'paused', epoch: 1, batch: 0, steps: 1 }),
    });
    await flushPromises();
    expect(wrapper.get('[data-testid=epoch]').text()).toMatch(/^Epoch 1\s\/\s200$/);
    expect(wrapper.get('[data-testid=batch]').text()).toMatch(/^batch 1\s\/\s10$/);
  });

  it('marks unsaved changes, shows where the project is saved, opens help and export', async () => {
    const { wrapper } = setup();
    const name = wrapper.get('[data-testid=project-name]');
    expect(name.attributes('title')).toBe('Not saved yet');
    expect(name.find('.dirty').exists()).toBe(false);
    useGraphStore().apply({ type: 'setName', name: 'Mine' });
    await flushPromises();
    expect(name.text()).toContain('Mine');
    expect(name.text()).toContain('(unsaved changes)');
    await useProjectStore().save();
    await flushPromises();
    expect(name.attributes('title')).toBe('/projects/saved.json');
    expect(name.find('.dirty').exists()).toBe(false);

    await wrapper.get('[aria-label="Keyboard shortcuts and help"]').trigger('click');
    expect(useUiStore().helpOpen).toBe(true);
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Export…')!
      .trigger('click');
    expect(wrapper.emitted('export')).toHaveLength(1);
  });

  it('disables Train and Step on an empty canvas', async () => {
    const { enabled } = setup();
    useGraphStore().load({ ...XOR, nodes: [], output: '' });
    await flushPromises();
    expect(enabled('Train')).toBe(false);
    expect(enabled('Step')).toBe(false);
  });

  it('runs New, Open and Save through the project store', async () => {
    const { button, host } = setup();
    host.nextOpen = { name: 'other.json', text: JSON.stringify({ ...XOR, name: 'Other' }) };
    await button('Open…').trigger('click');
    await flushPromises();
    expect(useGraphStore().project.name).toBe('Other');
    await button('Save').trigger('click');
    await flushPromises();
    expect(host.saved).toHaveLength(1);
    await button('New').trigger('click');
    await flushPromises();
    expect(useGraphStore().nodes).toHaveLength(0);
  });

  it('Recent lists the recent projects and opens the one chosen', async () => {
    const { wrapper, host } = setup();
    const project = useProjectStore();
    project.setConfirmDiscard(async () => true);
    const recent = () => wrapper.get('[aria-haspopup=menu]');
    expect(recent().attributes('disabled')).toBeDefined();
    expect(recent().attributes('title')).toBe('No recent projects yet');
    project.recent = ['/home/me/xor-trained.json', 'moons.json'];
    await flushPromises();
    expect(recent().attributes('disabled')).toBeUndefined();
    await recent().trigger('click');
    const items = wrapper.findAll('[role=menuitem]');
    expect(items.map((i) => i.find('.name').text())).toEqual(['xor-trained.json', 'moons.json']);
    expect(items[0].find('.where').text()).toBe('/home/me/xor-trained.json');
    expect(document.activeElement).toBe(items[0].element);
    host.nextOpen = {
      name: 'xor-trained.json',
      path: '/home/me/xor-trained.json',
      text: JSON.stringify({ ...XOR, name: 'Trained XOR' }),
    };
    await items[0].trigger('click');
    await flushPromises();
    expect(wrapper.find('[role=menu]').exists()).toBe(false);
    expect(project.name).toBe('Trained XOR');
    expect(project.path).toBe('/home/me/xor-trained.json');
  });
});
