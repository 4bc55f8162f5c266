// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import NetworkCanvas from '../../../../renderer/builder/NetworkCanvas.vue';
import { NODE_SIZE, dropEdit } from '../../../../renderer/builder/adapter';
import { LAYER_MIME, canvas } from '../../../../renderer/builder/canvas-bridge';
import { runCommand } from '../../../../renderer/stores/commands';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { XOR, freshStores } from '../helpers/stores';

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.restoreAllMocks();
});

/** What happy-dom's missing elementsFromPoint answers: the elements "under" a drop. */
let underPoint: Element[] = [];

// happy-dom lays nothing out: vue-flow warns that its container has no size.
beforeEach(() => {
  underPoint = [];
  Object.defineProperty(document, 'elementsFromPoint', {
    configurable: true,
    value: () => underPoint,
  });
  const warn = console.warn;
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith('[Vue Flow]')) warn(...args);
  });
});

async function setup() {
  freshStores();
  const pinia = createPinia();
  const wrapper = mount(NetworkCanvas, { global: { plugins: [pinia] }, attachTo: document.body });
  unmount = () => wrapper.unmount();
  const graph = useGraphStore(pinia);
  graph.load(XOR);
  await flushPromises();
  const region = wrapper.find('[role=region]').element as HTMLElement;
  return { wrapper, graph, region };
}

/** happy-dom's DragEvent drops `dataTransfer` and the coordinates from its init: set them. */
function dragEvent(type: string, data: Record<string, string>, at: { x: number; y: number }) {
  const dt = new DataTransfer();
  for (const [k, v] of Object.entries(data)) dt.setData(k, v);
  const e = new DragEvent(type, { clientX: at.x, clientY: at.y, bubbles: true, cancelable: true });
  Object.defineProperty(e, 'dataTransfer', { value: dt });
  Object.defineProperty(e, 'clientX', { value: at.x });
  Object.defineProperty(e, 'clientY', { value: at.y });
  return e;
}

function key(target: Element, k: string, o: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...o });
  target.dispatchEvent(e);
  return e;
}

describe('NetworkCanvas', () => {
  it('is a named region, draws every node and registers itself for the palette and menus', async () => {
    const { wrapper } = await setup();
    expect(wrapper.find('[role=region]').attributes('aria-label')).toBe('Network canvas');
    expect(wrapper.findAll('.vue-flow__node')).toHaveLength(5);
    expect(wrapper.find('.vue-flow__node[data-id="fc1"]').attributes('aria-label')).toBe(
      'Dense fc1, output ?',
    );
    expect(canvas()).not.toBeNull();
    wrapper.unmount();
    unmount = null;
    expect(canvas()).toBeNull();
  });

  it('adds a layer dropped from the palette where it was dropped (one undo step)', async () => {
    const { graph, region } = await setup();
    const over = dragEvent('dragover', { [LAYER_MIME]: 'ReLU' }, { x: 300, y: 200 });
    region.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    region.dispatchEvent(dragEvent('drop', { [LAYER_MIME]: 'ReLU' }, { x: 300, y: 200 }));
    expect(graph.node('relu1')).toEqual({ id: 'relu1', type: 'ReLU' });
    // The viewport starts unzoomed at the origin: canvas = screen coordinates; node centred.
    const expected = dropEdit('ReLU', { x: 300, y: 200 });
    expect(graph.position('relu1')).toEqual(expected.type === 'addNode' && expected.position);
    expect(graph.selection).toEqual(['relu1']);
    expect(graph.undo()).toBe(true);
    expect(graph.node('relu1')).toBeUndefined();
  });

  it('inserts a layer dropped onto a connection between its two nodes (one undo step)', async () => {
    const { graph, region } = await setup();
    // The edge's shape label, as the canvas draws it, is what lies under the pointer.
    const label = document.createElement('div');
    label.dataset.edgeId = 'h1->fc2';
    region.appendChild(label);
    underPoint = [label];
    region.dispatchEvent(dragEvent('dragover', { [LAYER_MIME]: 'Tanh' }, { x: 400, y: 150 }));
    await flushPromises();
    region.dispatchEvent(dragEvent('drop', { [LAYER_MIME]: 'Tanh' }, { x: 400, y: 150 }));
    expect(graph.node('tanh1')).toMatchObject({ type: 'Tanh', inputs: ['h1'] });
    expect(graph.node('fc2')?.inputs).toEqual(['tanh1']);
    expect(graph.selection).toEqual(['tanh1']);
    expect(graph.undo()).toBe(true);
    expect(graph.node('tanh1')).toBeUndefined();
    expect(graph.node('fc2')?.inputs).toEqual(['h1']);
  });

  it('drops a merge layer onto a connection beside it, saying why it cannot go in between', async () => {
    const { graph, region, wrapper } = await setup();
    const label = document.createElement('div');
    label.dataset.edgeId = 'h1->fc2';
    region.appendChild(label);
    underPoint = [label];
    region.dispatchEvent(dragEvent('drop', { [LAYER_MIME]: 'Add' }, { x: 400, y: 150 }));
    expect(graph.node('add1')).toEqual({ id: 'add1', type: 'Add' });
    expect(graph.node('fc2')?.inputs).toEqual(['h1']);
    await flushPromises();
    expect(wrapper.text()).toContain(
      'Add needs at least 2 inputs, so it cannot sit on one connection: it was added beside it',
    );
  });

  it('ignores drops that are not layers', async () => {
    const { graph, region } = await setup();
    const over = dragEvent('dragover', { 'text/plain': 'hello' }, { x: 1, y: 1 });
    region.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(false);
    region.dispatchEvent(dragEvent('drop', { 'text/plain': 'Dense' }, { x: 1, y: 1 }));
    expect(graph.nodes).toHaveLength(5);
  });

  it('deletes the selection with Delete or Backspace on the canvas, not in a text field', async () => {
    const { graph, region } = await setup();
    graph.select(['h1']);
    // A text field inside the canvas region (as vue-flow panels may hold): its own key.
    const field = document.createElement('input');
    region.appendChild(field);
    const inField = key(field, 'Delete');
    expect(inField.defaultPrevented).toBe(false);
    expect(graph.node('h1')).toBeDefined();
    field.remove();

    const e = key(region, 'Delete');
    expect(e.defaultPrevented).toBe(true); // the page's own shortcuts leave it alone
    expect(graph.node('h1')).toBeUndefined();
    graph.select(['fc2']);
    key(region, 'Backspace');
    expect(graph.node('fc2')).toBeUndefined();
  });

  it('clears the selection with Escape and selects every node with Ctrl+A', async () => {
    const { graph, region } = await setup();
    key(region, 'a', { ctrlKey: true });
    expect(graph.selection).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
    key(region, 'Escape');
    expect(graph.selection).toEqual([]);
  });

  it('moves the selected nodes with the arrow keys, one undo step per key press', async () => {
    const { graph, region } = await setup();
    graph.select(['fc1', 'h1']);
    key(region, 'ArrowRight');
    key(region, 'ArrowDown', { shiftKey: true });
    region.dispatchEvent(new KeyboardEvent('keyup', { key: 'ArrowDown', bubbles: true }));
    expect(graph.position('fc1')).toEqual({ x: 205, y: 140 });
    expect(graph.position('h1')).toEqual({ x: 365, y: 140 });
    expect(graph.position('x')).toEqual({ x: 40, y: 120 });
    graph.undo();
    expect(graph.position('fc1')).toEqual({ x: 200, y: 120 });
  });

  it('shows the store selection on the nodes', async () => {
    const { wrapper, graph } = await setup();
    graph.select(['fc1', 'y']);
    await flushPromises();
    const selected = wrapper
      .findAll('.vue-flow__node.selected')
      .map((n) => n.attributes('data-id'));
    expect(selected).toEqual(['fc1', 'y']);
  });

  it('deletes through the bridge (the Delete menu item) and says why an edit was refused', async () => {
    const { wrapper, graph } = await setup();
    graph.select(['x']);
    canvas()!.deleteSelection();
    expect(graph.node('x')).toBeUndefined();
    expect(canvas()!.viewCenter()).not.toBeNull();
    expect(wrapper.find('[role=alert]').exists()).toBe(false);
  });

  it('pastes copied nodes (the Paste command) next to, not on top of, the originals', async () => {
    const { graph } = await setup();
    graph.select(['fc1', 'h1']);
    await runCommand('copy');
    await runCommand('paste');
    expect(graph.selection).toEqual(['dense1', 'tanh1']);
    expect(graph.node('tanh1')?.inputs).toEqual(['dense1']);
    const a = graph.position('dense1')!;
    expect(Math.abs(a.y - 120)).toBeGreaterThanOrEqual(NODE_SIZE.height);
    expect(graph.undo()).toBe(true);
    expect(graph.node('dense1')).toBeUndefined();
  });
});
