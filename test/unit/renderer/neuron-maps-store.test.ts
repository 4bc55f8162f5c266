import { beforeEach, describe, expect, it } from 'vitest';
import type { InspectResult } from '../../../renderer/lab/inspect-types';
import { useGraphStore } from '../../../renderer/stores/graph';
import { NEURON_MAP, useNeuronMapsStore } from '../../../renderer/stores/neuron-maps';
import { useTrainingStore } from '../../../renderer/stores/training';
import type { ToWorker } from '../../../renderer/worker/protocol';
import type { SummaryNode } from '../../../renderer/worker/protocol-types';
import type { FakeWorker } from './helpers/fake-worker';
import { XOR, flush, freshStores, summaryOf } from './helpers/stores';

type MapsRequest = Extract<ToWorker, { type: 'neuronMaps' }>;

let worker: FakeWorker;
let graph: ReturnType<typeof useGraphStore>;
let maps: ReturnType<typeof useNeuronMapsStore>;

const node = (outShape: number[]): SummaryNode => ({
  outShape,
  inShapes: [],
  paramCount: 0,
  trainable: false,
  used: true,
  weights: {},
});

/** Answer the graph store's check: the Input takes `features`. */
async function compiled(features: number): Promise<void> {
  await flush();
  const summary = summaryOf({ x: node([features]), fc1: node([8]), h1: node([8]) });
  worker.answer('compile', (m) => ({ type: 'compiled', id: m.id, summary }));
  await flush();
}

const sent = () => worker.sentOf('neuronMaps') as MapsRequest[];

beforeEach(() => {
  ({ worker } = freshStores());
  graph = useGraphStore();
  graph.load(XOR);
  maps = useNeuronMapsStore();
});

function answer(seq: number): InspectResult {
  const result: InspectResult = {
    view: 'neurons',
    maps: {
      x0: -1,
      x1: 1,
      y0: -1,
      y1: 1,
      nx: 2,
      ny: 2,
      nodes: [{ id: 'fc1', units: 8, shown: 1, values: new Float32Array(4), min: 0, max: 0 }],
    },
    loss: 'BCE',
    weights: 'initial',
    epoch: 0,
    nodes: [],
  };
  worker.emit({ type: 'neuronMaps', seq, result });
  return result;
}

describe('neuron maps store', () => {
  it('asks for the maps once a canvas shows them and the data is 2-D', async () => {
    await compiled(2);
    expect(maps.twoD).toBe(true);
    expect(sent()).toEqual([]);
    maps.attach();
    await flush();
    expect(sent().at(-1)!.request).toMatchObject({
      query: { view: 'neurons', ...NEURON_MAP },
      weights: { from: 'initial' },
    });
    answer(sent().at(-1)!.seq);
    expect(maps.forNode('fc1')?.units).toBe(8);
    expect(maps.forNode('h1')).toBeNull();
    // An answer to an older request is dropped.
    const before = maps.version;
    answer(sent().at(-1)!.seq - 1);
    expect(maps.version).toBe(before);
  });

  it('stops asking when switched off, and follows a run’s live weights', async () => {
    await compiled(2);
    maps.attach();
    await flush();
    maps.enabled = false;
    await flush();
    expect(sent().at(-1)!.request).toBeNull();
    expect(maps.forNode('fc1')).toBeNull();
    maps.enabled = true;
    useTrainingStore().train();
    await flush();
    expect(sent().at(-1)!.request?.weights).toEqual({ from: 'run' });
  });

  it('asks for nothing when the data is not 2-D', async () => {
    await compiled(4);
    maps.attach();
    await flush();
    expect(maps.twoD).toBe(false);
    expect(sent().every((m) => m.request === null)).toBe(true);
  });
});
