// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import NodeInspector from '../../../../renderer/inspector/NodeInspector.vue';
import { useGraphStore } from '../../../../renderer/stores/graph';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, flush, freshStores, summaryOf } from '../helpers/stores';

let worker: FakeWorker;
let graph: ReturnType<typeof useGraphStore>;
let wrapper: ReturnType<typeof mount>;

beforeEach(() => {
  ({ worker } = freshStores<FakeWorker>());
  const pinia = createPinia();
  wrapper = mount(NodeInspector, { global: { plugins: [pinia] }, attachTo: document.body });
  graph = useGraphStore(pinia);
  graph.load(XOR);
});

afterEach(() => {
  wrapper.unmount();
  vi.useRealTimers();
});

const field = (label: string) => {
  const l = wrapper.findAll('label').find((x) => x.text() === label);
  if (!l) throw new Error(`no label ${label}`);
  const id = l.attributes('for');
  return id ? wrapper.find(`#${id}`) : l.find('input');
};
const button = (text: string) => wrapper.findAll('button').find((b) => b.text() === text)!;

/** How many undo steps there are (undo them all, then redo them all). */
function steps(): number {
  let n = 0;
  while (graph.undo()) n++;
  for (let i = 0; i < n; i++) graph.redo();
  return n;
}

describe('inspector, nothing selected', () => {
  it('asks for a selection and summarises the project', async () => {
    await flushPromises();
    expect(wrapper.text()).toContain('Select a node to edit it');
    expect(wrapper.text()).toContain('XOR');
    expect(wrapper.text()).toContain('Nodes5');
  });
});

describe('inspector, one node', () => {
  beforeEach(async () => {
    graph.select(['fc1']);
    await flushPromises();
  });

  it('shows the type, description, shapes, inputs and parameters', async () => {
    worker.answer('compile', (m) => ({
      type: 'compiled',
      id: m.id,
      summary: summaryOf({
        x: {
          outShape: [2],
          inShapes: [],
          paramCount: 0,
          trainable: false,
          used: true,
          weights: {},
        },
        fc1: {
          outShape: [8],
          inShapes: [[2]],
          paramCount: 24,
          trainable: true,
          used: true,
          weights: { weight: [8, 2], bias: [8] },
        },
      }),
    }));
    await flush();
    await flushPromises();
    const text = wrapper.text();
    expect(wrapper.find('h2').text()).toBe('Dense');
    expect(text).toContain('Fully connected');
    expect(text).toContain('Output shape[8]');
    expect(text).toContain('Parameters24');
    expect(text).toContain('weight [8, 2], bias [8]');
    expect(wrapper.find('ol.inputs').text()).toContain('x');
    expect(wrapper.find('ol.inputs').text()).toContain('[2]');
    expect((field('units').element as HTMLInputElement).value).toBe('8');
    expect(field('units').attributes('min')).toBe('1');
    expect(field('units').attributes('step')).toBe('1');
    expect((field('bias').element as HTMLInputElement).checked).toBe(true);
  });

  it('commits a typed number after a pause, as one undo step', async () => {
    vi.useFakeTimers();
    const units = field('units');
    // Typing: input events only (setValue would also send change).
    const type = async (v: string) => {
      (units.element as HTMLInputElement).value = v;
      await units.trigger('input');
    };
    await type('1');
    await type('16');
    expect(graph.node('fc1')?.params).toEqual({ units: 8 });
    vi.advanceTimersByTime(1000);
    expect(graph.node('fc1')?.params).toEqual({ units: 16 });
    await units.trigger('change');
    await units.trigger('blur');
    expect(steps()).toBe(1);
  });

  it('commits at once on change, and refuses bad values with an inline error', async () => {
    const units = field('units');
    for (const [bad, message] of [
      ['0', 'Enter a number at least 1'],
      ['2.5', 'Enter a whole number'],
      ['', 'Enter a number'],
    ]) {
      await units.setValue(bad);
      await units.trigger('change');
      expect(units.attributes('aria-invalid')).toBe('true');
      const error = wrapper.find(`#${units.attributes('aria-describedby')!.split(' ')[0]}`);
      expect(error.text()).toBe(message);
    }
    expect(graph.node('fc1')?.params).toEqual({ units: 8 });
    expect(steps()).toBe(0);
    await units.setValue('3');
    await units.trigger('change');
    expect(graph.node('fc1')?.params).toEqual({ units: 3 });
    expect(units.attributes('aria-invalid')).toBeUndefined();
    // Undo shows the old value again.
    graph.undo();
    await flushPromises();
    expect((units.element as HTMLInputElement).value).toBe('8');
  });

  it('edits booleans by checkbox', async () => {
    await field('bias').setValue(false);
    expect(graph.node('fc1')?.params).toEqual({ units: 8, bias: false });
  });

  it('shows the check’s problems under their field', async () => {
    worker.answer('compile', (m) => ({
      type: 'compileError',
      id: m.id,
      error: {
        code: 'PROJECT_GRAPH',
        message: '2 problems',
        place: {},
        issues: [
          { path: 'nodes[1].params.units', node: 'fc1', message: 'units must be at least 1' },
          { path: 'nodes[1]', node: 'fc1', message: 'something about fc1' },
        ],
      },
      summary: summaryOf({}, false),
    }));
    await flush();
    await flushPromises();
    const units = field('units');
    expect(units.attributes('aria-invalid')).toBe('true');
    expect(wrapper.find(`#${units.attributes('aria-describedby')!.split(' ')[0]}`).text()).toBe(
      'units must be at least 1',
    );
    expect(wrapper.find('.problems').text()).toContain('something about fc1');
  });

  it('renames the node, refusing taken and malformed ids inline', async () => {
    const id = field('Id');
    await id.setValue('h1');
    expect(wrapper.find('#' + id.attributes('aria-describedby')).text()).toBe(
      "'h1' is already the id of another node",
    );
    await id.trigger('change');
    expect(graph.node('fc1')).toBeDefined();
    await id.setValue('two words');
    expect(id.attributes('aria-invalid')).toBe('true');
    await id.trigger('keydown', { key: 'Enter' });
    expect(graph.node('fc1')).toBeDefined();
    await id.setValue('hidden');
    await id.trigger('keydown', { key: 'Enter' });
    expect(graph.node('hidden')?.inputs).toEqual(['x']);
    expect(graph.node('h1')?.inputs).toEqual(['hidden']);
    expect(graph.selection).toEqual(['hidden']);
    expect(steps()).toBe(1);
  });

  it('sets the flags, each with what it does to memory', async () => {
    expect(wrapper.text()).toContain('no gradient');
    await field('Frozen').setValue(true);
    expect(graph.node('fc1')?.frozen).toBe(true);
    await field('Detach').setValue(true);
    expect(graph.node('fc1')?.detach).toBe(true);
    await field('Memory').setValue('recompute');
    expect(graph.node('fc1')?.memory).toBe('recompute');
    expect(wrapper.text()).toContain('its forward runs again before backward');
    expect(wrapper.text()).toContain('One node alone keeps its input instead of its output');
    expect(steps()).toBe(3);
  });

  it('sets the output, disconnects an input and deletes the node', async () => {
    await button('Set as output').trigger('click');
    expect(graph.output).toBe('fc1');
    await wrapper.find('[aria-label="Disconnect x"]').trigger('click');
    expect(graph.node('fc1')?.inputs).toBeUndefined();
    await button('Delete node').trigger('click');
    expect(graph.node('fc1')).toBeUndefined();
    await flushPromises();
    expect(wrapper.text()).toContain('Select a node to edit it');
  });
});

describe('inspector, several nodes', () => {
  it('shows the count and the flags they share', async () => {
    graph.apply({ type: 'setFlags', id: 'fc1', flags: { frozen: true } });
    graph.select(['fc1', 'fc2']);
    await flushPromises();
    expect(wrapper.find('h2').text()).toBe('2 nodes selected');
    const frozen = field('Frozen').element as HTMLInputElement;
    expect(frozen.indeterminate).toBe(true);
    await field('Frozen').setValue(true);
    expect(graph.node('fc2')?.frozen).toBe(true);
    expect((field('Detach').element as HTMLInputElement).indeterminate).toBe(false);
    await button('Delete 2 nodes').trigger('click');
    expect(graph.node('fc1')).toBeUndefined();
    expect(graph.node('fc2')).toBeUndefined();
  });
});
