// Problems are checked on every edit by the real worker code (in this process) and put on the
// node that must change; Train is refused with the reason while one remains; a node that feeds
// nothing is a warning and the rest trains; a failed run's error goes once the project changes.
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useGraphStore } from '../../../renderer/stores/graph';
import { usePluginsStore } from '../../../renderer/stores/plugins';
import { useProjectStore } from '../../../renderer/stores/project';
import { useTrainingStore } from '../../../renderer/stores/training';
import { WorkerClient } from '../../../renderer/worker/client';
import { inProcessWorker, until } from './helpers/in-process-worker';
import { freshStores } from './helpers/stores';

let client: WorkerClient | null = null;

afterEach(() => {
  client?.dispose();
  client = null;
});

/** XOR built from an empty canvas, as a student builds it, with `units` in the second Dense. */
async function xorFromScratch(units: number) {
  client = new WorkerClient({ spawn: inProcessWorker().spawn });
  freshStores({ worker: client });
  const project = useProjectStore();
  project.setConfirmDiscard(async () => true);
  await usePluginsStore().init();
  await project.init();
  await project.newProject();
  const graph = useGraphStore();
  graph.apply({ type: 'addNode', nodeType: 'Input', id: 'x', params: { shape: [2] } });
  graph.apply({ type: 'addNode', nodeType: 'Dense', params: { units: 8 } });
  graph.apply({ type: 'addNode', nodeType: 'Sigmoid' });
  graph.apply({ type: 'addNode', nodeType: 'Dense', params: { units } });
  graph.apply({ type: 'addNode', nodeType: 'Sigmoid' });
  for (const [from, to] of [
    ['x', 'dense1'],
    ['dense1', 'sigmoid1'],
    ['sigmoid1', 'dense2'],
    ['dense2', 'sigmoid2'],
  ]) {
    const r = graph.apply({ type: 'connect', from, to });
    expect(r.ok, r.ok ? '' : r.reason).toBe(true);
  }
  graph.apply({ type: 'setTraining', training: { epochs: 5 } });
  return { graph, training: useTrainingStore() };
}

const WHY =
  "dense2 makes 8 values per sample and the output 'sigmoid2' passes them on; BCE needs 1 for the data's 1 target column ('xor'): set dense2's units to 1";

describe('live problems', () => {
  it('puts an output too wide on the Dense that sets it, refuses Train with the reason, and clears on the fix', async () => {
    const { graph, training } = await xorFromScratch(8);
    await until(() => graph.blocker !== null && !graph.validating, 'the check of the data');
    expect(graph.blocker).toEqual({
      message: `Fix first: ${WHY}`,
      node: 'dense2',
      count: 1,
    });
    expect(graph.marks.dense2).toEqual([{ severity: 'error', message: WHY }]);
    expect(graph.marks.sigmoid2).toBeUndefined();
    expect(graph.fieldIssues('dense2')).toEqual({ 'params.units': [WHY] });
    expect(training.canTrain).toBe(false);
    expect(training.canStep).toBe(false);
    training.train();
    expect(training.starting).toBe(false);
    expect(training.state).toBe('idle');

    graph.apply({ type: 'setParams', id: 'dense2', params: { units: 1 } });
    await until(() => graph.summary?.ok === true, 'the check after the fix');
    expect(graph.blocker).toBeNull();
    expect(graph.marks).toEqual({});
    expect(training.canTrain).toBe(true);
  });

  it('warns about a stray ReLU on its node and trains the rest', async () => {
    const { graph, training } = await xorFromScratch(1);
    graph.apply({ type: 'addNode', nodeType: 'ReLU' });
    await until(() => (graph.warningsByNode.relu1?.length ?? 0) > 0, 'the warning');
    expect(graph.marks.relu1.map((m) => m.severity)).toEqual(['warning', 'warning']);
    expect(graph.marks.relu1.map((m) => m.message)).toEqual([
      "not connected to the output 'sigmoid2', so training and export leave it out",
      'takes 1 input, got 0',
    ]);
    expect(graph.warnings).toContain(
      "not connected to the output 'sigmoid2', so training and export leave it out: relu1 (takes 1 input, got 0)",
    );
    expect(graph.blocker).toBeNull();
    training.train();
    await until(() => training.state === 'finished', 'the end of training');
    expect(training.error).toBeNull();
    expect(Object.keys(training.weights ?? {}).sort()).toEqual([
      'dense1.bias',
      'dense1.weight',
      'dense2.bias',
      'dense2.weight',
    ]);
    // The project keeps the stray node.
    expect(graph.node('relu1')).toBeDefined();
  });

  it("drops a failed run's error once the project changes, not when a node only moves", async () => {
    const { graph, training } = await xorFromScratch(1);
    await until(() => graph.summary?.ok === true, 'a network that compiles');
    training.error = {
      code: 'NUMERIC',
      message: 'the loss is not finite',
      place: { node: 'dense2' },
    };
    graph.apply({ type: 'moveNodes', positions: { dense2: { x: 500, y: 80 } } });
    await nextTick();
    expect(training.error).not.toBeNull();
    graph.apply({ type: 'setTraining', training: { optimizer: { type: 'sgd', lr: 0.1 } } });
    await nextTick();
    expect(training.error).toBeNull();
  });
});
