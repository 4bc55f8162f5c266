// @vitest-environment happy-dom
// The Lab panel over the real worker code (in this process): each view gets its data and shows
// it; the memory toggles edit the network; step mode walks the trace.
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import LabPanel from '../../../../renderer/lab/LabPanel.vue';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { useLabStore } from '../../../../renderer/stores/lab';
import { useUiStore } from '../../../../renderer/stores/ui';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SpawnWorker, WorkerClient } from '../../../../renderer/worker/client';
import type { FromWorker, ToWorker } from '../../../../renderer/worker/protocol';
import { createWorkerCore } from '../../../../renderer/worker/worker-core';
import { XOR, freshStores } from '../helpers/stores';
import { mountWithStores } from '../toolbar/helpers';

let client: WorkerClient;

const tick = () => new Promise<void>((r) => setImmediate(r));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (check()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

// The worker code in this process (messages cloned as postMessage would). The in-process helper
// finds data/ from import.meta.url, which is not a file URL under happy-dom.
const spawn: SpawnWorker = (onMessage) => {
  let alive = true;
  const core = createWorkerCore({
    post: (msg: FromWorker) => {
      const copy = structuredClone(msg);
      setImmediate(() => alive && onMessage(copy));
    },
    evaluate: async () => ({}),
    readDataFile: async (name) => readFileSync(join(process.cwd(), 'data', name), 'utf8'),
    yieldToHost: tick,
    sliceMs: 2,
    progressMs: 0,
    weightsMs: 0,
  });
  return {
    post(msg: ToWorker, transfer) {
      const copy = structuredClone(msg, { transfer });
      setImmediate(() => alive && void core.handle(copy));
    },
    terminate() {
      alive = false;
    },
  };
};

beforeEach(() => {
  client = new WorkerClient({ spawn });
  freshStores({ worker: client });
  useGraphStore().load(XOR);
});

afterEach(() => client.dispose());

async function open(view: string) {
  const w = mountWithStores(LabPanel);
  const lab = useLabStore();
  const tab = w.findAll('[role="tab"]').find((t) => t.text() === view)!;
  await tab.trigger('click');
  const before = lab.updates;
  await until(() => lab.updates > before || lab.currentError !== null, `data for ${view}`);
  await flushPromises();
  return { w, lab };
}

describe('LabPanel', () => {
  it('lists the seven views as tabs, moved between with the arrow keys', async () => {
    const { w, lab } = await open('Boundary');
    const tabs = w.findAll('[role="tab"]');
    expect(tabs.map((t) => t.text())).toEqual([
      'Boundary',
      'Forward & δ',
      'Blame',
      'Jacobian',
      'Memory',
      'Step by step',
      'Gradient check',
    ]);
    await tabs[0].trigger('keydown', { key: 'ArrowRight' });
    expect(lab.view).toBe('forward');
    await tabs[1].trigger('keydown', { key: 'End' });
    expect(lab.view).toBe('gradcheck');
    w.unmount();
  });

  it('shows the decision boundary of the initial weights', async () => {
    const { w } = await open('Boundary');
    expect(w.find('[data-testid="lab-weights"]').text()).toBe('initial weights');
    expect(w.find('[data-testid="boundary-canvas"]').attributes('aria-label')).toMatch(
      /64×64 points: colour shows the probability of class 1; 160 training and 40 test points/,
    );
    w.unmount();
  });

  it('shows every node’s activations and δ in the forward view', async () => {
    const { w } = await open('Forward & δ');
    const nodes = w.findAll('[data-node]').map((n) => n.attributes('data-node'));
    expect(nodes).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
    expect(w.find('[data-node="fc1"]').text()).toMatch(/‖∂L\/∂W⁽¹⁾‖/);
    expect(w.find('[data-node="fc1"] [data-testid="forward-symbol"]').text()).toMatch(/^h̃⁽¹⁾/);
    expect(w.find('[data-node="h1"] [data-testid="forward-delta-symbol"]').text()).toMatch(
      /^∂L\/∂h⁽¹⁾/,
    );
    w.unmount();
  });

  it('memory: a toggle edits the network, and a new step is measured', async () => {
    const { w, lab } = await open('Memory');
    const graph = useGraphStore();
    expect(w.find('[data-testid="memory-bytes-fc1"]').text()).toMatch(/^128 B/);
    const before = lab.updates;
    await w.find('input[aria-label="frozen fc1"]').setValue(true);
    expect(graph.node('fc1')?.frozen).toBe(true);
    await until(() => lab.updates > before, 'a new measurement');
    await flushPromises();
    expect(w.find('[data-testid="memory-bytes-fc1"]').text()).toMatch(/^0 B\s*−128 B/);
    expect(w.find('[data-testid="memory-totals"]').text()).toContain('−128 B');
    w.unmount();
  });

  it('step by step: Next, Previous and the arrow keys walk the trace', async () => {
    const { w } = await open('Step by step');
    const position = () => w.find('[data-testid="step-position"]').text();
    const formula = () => w.find('[data-testid="step-formula"]').text();
    expect(position()).toBe('Step 1 of 11');
    const next = w.findAll('button').find((b) => b.text() === 'Next →')!;
    for (let i = 0; i < 6; i++) await next.trigger('click');
    expect(position()).toBe('Step 7 of 11');
    expect(formula()).toBe('δ⁽²⁾ = ∂L/∂ŷ ⊙ σ′(ỹ) = ŷ − y');
    expect(useGraphStore().selection).toEqual(['y']);
    const view = w.find('[data-view="steps"]');
    await view.trigger('keydown', { key: 'ArrowLeft' });
    expect(position()).toBe('Step 6 of 11');
    expect(formula()).toBe('L = −y log ŷ − (1 − y) log(1 − ŷ)');
    await view.trigger('keydown', { key: 'Home' });
    expect(position()).toBe('Step 1 of 11');
    w.unmount();
  });

  it('says when a view does not apply to the network (no plugin layer to check)', async () => {
    const { w } = await open('Gradient check');
    expect(w.text()).toContain('No plugin layers are loaded');
    w.unmount();
  });

  it('moves to the main area and back', async () => {
    const { w } = await open('Blame');
    const ui = useUiStore();
    const expand = w.findAll('button').find((b) => b.text().includes('Expand'))!;
    await expand.trigger('click');
    expect(ui.labInMain).toBe(true);
    expect(w.text()).toContain('The Lab is open in the main area.');
    expect(document.body.querySelector('.lab-main [data-view="blame"]')).not.toBeNull();
    ui.setLabInMain(false);
    await flushPromises();
    expect(document.body.querySelector('.lab-main')).toBeNull();
    w.unmount();
  });

  it('points at the canvas when there is no network, or when it has problems', async () => {
    const graph = useGraphStore();
    const w = mountWithStores(LabPanel);
    graph.load({ ...XOR, nodes: [], output: '' });
    await flushPromises();
    expect(w.find('[role="tabpanel"]').text()).toBe(
      'Build a network on the canvas to see it here.',
    );
    graph.load({ ...XOR, output: 'nowhere' });
    const lab = useLabStore();
    await until(() => lab.currentError !== null, 'the error');
    await flushPromises();
    expect(w.find('[role="tabpanel"]').text()).toBe(
      'The network has problems (marked on the canvas): fix them to see this view.',
    );
    w.unmount();
  });

  it('tells the worker that no view is open once it is gone', async () => {
    const { w, lab } = await open('Jacobian');
    w.unmount();
    expect(lab.open).toBe(false);
  });
});
