// The stores over the real worker code (in this process): build, train, stop, export.
import { afterEach, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../core/io/safetensors';
import { exportToFile } from '../../../renderer/panels/export/export-request';
import { runCommand } from '../../../renderer/stores/commands';
import { useGraphStore } from '../../../renderer/stores/graph';
import { usePluginsStore } from '../../../renderer/stores/plugins';
import { useProjectStore } from '../../../renderer/stores/project';
import { useTrainingStore } from '../../../renderer/stores/training';
import { useUiStore } from '../../../renderer/stores/ui';
import { WorkerClient } from '../../../renderer/worker/client';
import { inProcessWorker, until } from './helpers/in-process-worker';
import { freshStores } from './helpers/stores';

let client: WorkerClient | null = null;

afterEach(() => {
  client?.dispose();
  client = null;
});

async function app() {
  client = new WorkerClient({ spawn: inProcessWorker().spawn });
  const { host } = freshStores({ worker: client });
  const project = useProjectStore();
  project.setConfirmDiscard(async () => true);
  await usePluginsStore().init();
  await project.init();
  return { host, graph: useGraphStore(), training: useTrainingStore(), project };
}

describe('the app’s stores with the worker', () => {
  it('builds XOR from an empty canvas, trains it to a low loss and exports the weights', async () => {
    const { host, graph, training, project } = await app();
    await project.newProject();
    graph.apply({ type: 'addNode', nodeType: 'Input', id: 'x', params: { shape: [2] } });
    graph.apply({ type: 'addNode', nodeType: 'Dense', params: { units: 8 } });
    graph.apply({ type: 'addNode', nodeType: 'Tanh' });
    graph.apply({ type: 'addNode', nodeType: 'Dense', params: { units: 1 } });
    graph.apply({ type: 'addNode', nodeType: 'Sigmoid' });
    for (const [from, to] of [
      ['x', 'dense1'],
      ['dense1', 'tanh1'],
      ['tanh1', 'dense2'],
      ['dense2', 'sigmoid1'],
    ]) {
      const r = graph.apply({ type: 'connect', from, to });
      expect(r.ok, r.ok ? '' : r.reason).toBe(true);
    }
    expect(graph.output).toBe('sigmoid1');
    await until(() => graph.summary?.ok === true, 'a network that compiles');
    expect(graph.summary!.nodes.dense2.inShapes).toEqual([[8]]);

    graph.apply({ type: 'setTraining', training: { epochs: 150 } });
    training.train();
    await until(() => training.state === 'finished', 'the end of training');
    expect(training.history.epochs).toHaveLength(150);
    expect(training.history.trainLoss.at(-1)!).toBeLessThan(0.1);
    expect(training.loss).not.toBeNull();

    // The menu's Export… opens the export dialog, which exports through the worker.
    await runCommand('exportWeights');
    expect(useUiStore().exportOpen).toBe(true);
    const exported = await exportToFile('safetensors', {
      live: false,
      weights: training.weights,
      project: training.weightsProject!,
    });
    expect(exported).toMatchObject({ ok: true, saved: true });
    const back = readSafetensors(host.exported[0].data as Uint8Array);
    expect(Object.keys(back.tensors).sort()).toEqual([
      'dense1.bias',
      'dense1.weight',
      'dense2.bias',
      'dense2.weight',
    ]);
  });

  it('Stop ends a long run and keeps its weights; Reset forgets them', async () => {
    const { graph, training } = await app();
    graph.apply({ type: 'setTraining', training: { epochs: 1_000_000 } });
    training.train();
    await until(() => training.history.epochs.length > 2, 'a few epochs');
    await training.stop();
    expect(training.state).toBe('stopped');
    expect(training.hasWeights).toBe(true);
    expect(Object.keys(training.weights!)).toContain('fc1.weight');
    await training.reset();
    expect(training.state).toBe('idle');
    expect(training.hasWeights).toBe(false);
  });

  it('menu commands reach the stores', async () => {
    const { graph } = await app();
    graph.select(['fc1']);
    await runCommand('copy');
    await runCommand('paste');
    expect(graph.node('dense1')).toBeDefined();
    await runCommand('undo');
    expect(graph.node('dense1')).toBeUndefined();
    await runCommand('redo');
    expect(graph.node('dense1')).toBeDefined();
    await runCommand('selectAll');
    await runCommand('delete');
    expect(graph.nodes).toEqual([]);
    await runCommand('toggleHelp');
    expect(useUiStore().helpOpen).toBe(true);
    const before = useUiStore().fitViewRequest;
    await runCommand('fitView');
    expect(useUiStore().fitViewRequest).toBe(before + 1);
  });
});
