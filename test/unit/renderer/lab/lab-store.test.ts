import { beforeEach, describe, expect, it } from 'vitest';
import type { InspectResult } from '../../../../renderer/lab/inspect-types';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { useLabStore } from '../../../../renderer/stores/lab';
import { useTrainingStore } from '../../../../renderer/stores/training';
import type { ToWorker } from '../../../../renderer/worker/protocol';
import type { FakeWorker } from '../helpers/fake-worker';
import { XOR, flush, freshStores } from '../helpers/stores';

type Inspect = Extract<ToWorker, { type: 'inspect' }>;

let worker: FakeWorker;
let graph: ReturnType<typeof useGraphStore>;
let lab: ReturnType<typeof useLabStore>;

beforeEach(() => {
  ({ worker } = freshStores());
  graph = useGraphStore();
  graph.load(XOR);
  lab = useLabStore();
});

const inspects = () => worker.sentOf('inspect') as Inspect[];
const last = () => inspects().at(-1)!;

function memory(saved: number): InspectResult {
  return {
    view: 'memory',
    batch: 16,
    trainSamples: 160,
    plain: null,
    segments: [],
    report: {
      nodes: { fc1: { savedBytes: saved, recomputedBytes: 0, tensors: 1 } },
      peakSavedBytes: saved,
      afterForwardBytes: saved,
    },
    loss: 'BCE',
    weights: 'initial',
    epoch: 0,
    nodes: [],
  };
}

describe('lab store: what the worker is told', () => {
  it('asks for nothing until a Lab panel is on screen, then for the open view', async () => {
    await flush();
    expect(inspects()).toEqual([]);
    lab.attach();
    await flush();
    expect(last().request).toMatchObject({
      query: { view: 'boundary', grid: 64 },
      project: graph.project,
      weights: { from: 'initial' },
    });
    expect(() => structuredClone(last())).not.toThrow();
    lab.show('forward');
    await flush();
    expect(last().request?.query).toEqual({ view: 'forward', samples: 8 });
    lab.detach();
    await flush();
    expect(last().request).toBeNull();
  });

  it('sends one request for several changes in one turn', async () => {
    lab.attach();
    await flush();
    const before = inspects().length;
    lab.show('jacobian');
    lab.settings.jacobian.sample = 3;
    lab.settings.jacobian.to = 'h1';
    await flush();
    expect(inspects().length).toBe(before + 1);
    expect(last().request?.query).toEqual({
      view: 'jacobian',
      from: null,
      to: 'h1',
      sample: 3,
      path: 0,
    });
  });

  it('opens the Jacobian view between two nodes in one request (for lessons)', async () => {
    lab.attach();
    await flush();
    const before = inspects().length;
    lab.showJacobian('h1', 'y', { sample: 2 });
    await flush();
    expect(lab.view).toBe('jacobian');
    expect(inspects().length).toBe(before + 1);
    expect(last().request?.query).toEqual({
      view: 'jacobian',
      from: 'h1',
      to: 'y',
      sample: 2,
      path: 0,
    });
  });

  it('asks again when the network changes, not when a node is only moved', async () => {
    lab.attach();
    lab.show('memory');
    await flush();
    const before = inspects().length;
    graph.apply({ type: 'moveNodes', positions: { fc1: { x: 1, y: 2 } } });
    await flush();
    expect(inspects().length).toBe(before);
    graph.apply({ type: 'setFlags', id: 'fc1', flags: { frozen: true } });
    await flush();
    expect(inspects().length).toBe(before + 1);
    expect(last().request?.project.nodes.find((n) => n.id === 'fc1')?.frozen).toBe(true);
  });

  it('uses the run’s weights while training, and after it names the last weights the worker sent', async () => {
    const training = useTrainingStore();
    lab.attach();
    await flush();
    training.train();
    await flush();
    expect(last().request?.weights).toEqual({ from: 'run' });
    worker.emit({
      type: 'weights',
      key: 'worker:1',
      tensors: [{ name: 'fc1.bias', shape: [1], buffer: new Float32Array([2]).buffer }],
      epoch: 5,
      at: { epoch: 6, batch: 2, batchesPerEpoch: 4 },
    });
    worker.emit({ type: 'state', state: 'stopped' });
    await flush();
    const w = last().request?.weights;
    expect(w).toMatchObject({
      from: 'given',
      epoch: 5,
      at: { epoch: 6, batch: 2, batchesPerEpoch: 4 },
    });
    // The worker holds them (they came from it): the request names them and sends no weights.
    expect(w).toMatchObject({ key: 'worker:1' });
    expect(worker.sentOf('holdWeights')).toEqual([]);
    lab.show('forward');
    await flush();
    expect(last().request?.weights).toMatchObject({ from: 'given', key: 'worker:1' });
    // A restarted worker holds nothing: the weights are given to it once, then named.
    worker.restart('ended');
    lab.show('blame');
    await flush();
    const [hold] = worker.sentOf('holdWeights');
    expect(worker.sentOf('holdWeights')).toHaveLength(1);
    expect(new Float32Array(hold.tensors[0].buffer)[0]).toBe(2);
    expect(last().request?.weights).toMatchObject({ from: 'given', key: hold.key });
    lab.show('forward');
    await flush();
    expect(worker.sentOf('holdWeights')).toHaveLength(1);
    expect(last().request?.weights).toMatchObject({ key: hold.key });
  });
});

describe('lab store: what comes back', () => {
  it('keeps the answer to the latest request only, per view', async () => {
    lab.attach();
    lab.show('memory');
    await flush();
    const old = last().seq;
    lab.settings.memoryBatch = 8;
    await flush();
    worker.emit({ type: 'inspection', seq: old, result: memory(100) });
    expect(lab.result('memory')).toBeNull();
    worker.emit({ type: 'inspection', seq: last().seq, result: memory(200) });
    expect(lab.result('memory')?.report.peakSavedBytes).toBe(200);
    expect(lab.updates).toBe(1);
    expect(lab.pending).toBe(false);
  });

  it('keeps an error per view, and clears it with the next good answer', async () => {
    lab.attach();
    lab.show('boundary');
    await flush();
    const error = { code: 'USAGE', message: 'a decision boundary needs 2-D data', place: {} };
    worker.emit({ type: 'inspection', seq: last().seq, error });
    expect(lab.currentError).toEqual(error);
    lab.show('memory');
    await flush();
    expect(lab.currentError).toBeNull();
    worker.emit({ type: 'inspection', seq: last().seq, result: memory(1) });
    lab.show('boundary');
    expect(lab.currentError).toEqual(error);
  });

  it('records ‖∇W‖ of live forward answers as curves over the epochs', async () => {
    const training = useTrainingStore();
    lab.attach();
    lab.show('forward');
    training.train();
    await flush();
    const answer = (epoch: number, batch: number, norm: number) => {
      worker.emit({
        type: 'progress',
        progress: {
          state: 'running',
          epoch,
          epochs: 10,
          batch,
          batchesPerEpoch: 4,
          loss: 1,
          samplesPerSecond: 1,
          steps: 1,
          recentLosses: [1],
          stepsPerSecond: null,
        },
      });
      worker.emit({
        type: 'inspection',
        seq: last().seq,
        result: {
          view: 'forward',
          samples: 2,
          lossValue: 1,
          slices: [],
          gradNorms: [{ name: 'fc1.weight', node: 'fc1', norm }],
          dense: [],
          loss: 'BCE',
          weights: 'run',
          epoch,
          nodes: [],
        },
      });
    };
    answer(1, 2, 0.5);
    answer(2, 0, 0.25);
    answer(2, 0, 0.2); // the same moment again: replaces the last point
    expect(lab.gradSeries).toEqual([{ name: 'fc1.weight', x: [0.5, 1], y: [0.5, 0.2] }]);
    graph.apply({ type: 'setFlags', id: 'fc1', flags: { frozen: true } });
    await flush();
    expect(lab.gradSeries).toEqual([]);
  });
});
