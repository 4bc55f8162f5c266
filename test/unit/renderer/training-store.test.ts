import { beforeEach, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../core/io/safetensors';
import { makeWeightsMetadata } from '../../../core/io/weights-metadata';
import { csvProblems, scanCsv } from '../../../renderer/stores/csv-scan';
import { useDataStore } from '../../../renderer/stores/data';
import { useGraphStore } from '../../../renderer/stores/graph';
import { useTrainingStore } from '../../../renderer/stores/training';
import type { WireTensor } from '../../../renderer/worker/protocol';
import type { FakeHost } from './helpers/fake-host';
import type { FakeWorker } from './helpers/fake-worker';
import { XOR, flush, freshStores, summaryOf } from './helpers/stores';

let worker: FakeWorker;
let host: FakeHost;
let graph: ReturnType<typeof useGraphStore>;
let training: ReturnType<typeof useTrainingStore>;

beforeEach(() => {
  ({ worker, host } = freshStores());
  graph = useGraphStore();
  graph.load(XOR);
  training = useTrainingStore();
});

const tensor = (name: string, shape: number[], values: number[]): WireTensor => ({
  name,
  shape,
  buffer: new Float32Array(values).buffer,
});

const xorWeights = () => [
  tensor(
    'fc1.weight',
    [8, 2],
    Array.from({ length: 16 }, (_, i) => i / 10),
  ),
  tensor('fc1.bias', [8], Array(8).fill(0.5)),
  tensor('fc2.weight', [1, 8], Array(8).fill(-1)),
  tensor('fc2.bias', [1], [0.25]),
];

const progress = (over: object = {}) => ({
  state: 'running' as const,
  epoch: 1,
  epochs: 200,
  batch: 3,
  batchesPerEpoch: 10,
  loss: 0.5,
  samplesPerSecond: 1000,
  steps: 4,
  recentLosses: [0.5],
  stepsPerSecond: null,
  ...over,
});

describe('training store', () => {
  it('train sends the project (plain, cloneable) and follows the worker’s state and progress', () => {
    expect(training.canTrain).toBe(true);
    training.train();
    const [msg] = worker.sentOf('train');
    expect(msg.project).toEqual(graph.project);
    expect(() => structuredClone(msg)).not.toThrow();
    expect(msg).not.toHaveProperty('files');
    expect(training.starting).toBe(true);
    expect(training.canTrain).toBe(false);

    worker.emit({ type: 'state', state: 'running' });
    expect(training.state).toBe('running');
    expect(training.canPause).toBe(true);
    expect(training.canStep).toBe(false);
    worker.emit({ type: 'progress', progress: progress({ loss: 0.25 }) });
    expect(training.loss).toBe(0.25);
    expect(training.samplesPerSecond).toBe(1000);
  });

  it('keeps the epoch history as plain arrays and bumps a version for the charts', () => {
    training.train();
    worker.emit({ type: 'state', state: 'running' });
    const h = training.history;
    worker.emit({
      type: 'epochs',
      stats: [
        { epoch: 1, trainLoss: 0.7, trainAccuracy: 0.5, testLoss: 0.69, testAccuracy: 0.55 },
        { epoch: 2, trainLoss: 0.6, trainAccuracy: 0.6, testLoss: null, testAccuracy: null },
      ],
    });
    expect(training.history.epochs).toEqual([1, 2]);
    expect(training.history.trainLoss).toEqual([0.7, 0.6]);
    expect(training.history.testLoss).toEqual([0.69, null]);
    expect(training.historyVersion).toBeGreaterThan(0);
    // No deep reactivity on the arrays: they are the same raw object.
    expect(training.history).toBe(h);
  });

  it('pause, resume and step send their messages; step from idle starts a paused run first', () => {
    worker.sent = [];
    training.step();
    expect(worker.sent.map((m) => m.type)).toEqual(['speed', 'train', 'step']);
    expect(worker.sentOf('train')[0].startPaused).toBe(true);
    worker.emit({ type: 'state', state: 'paused' });
    training.step();
    training.train(); // while paused: resume
    expect(worker.sent.map((m) => m.type).slice(3)).toEqual(['step', 'resume']);
    worker.emit({ type: 'state', state: 'running' });
    training.pause();
    expect(worker.sent.at(-1)).toEqual({ type: 'pause' });
  });

  it('stop: a worker that does not answer is ended, the run is stopped with a notice, the network kept', async () => {
    training.train();
    worker.emit({ type: 'state', state: 'running' });
    worker.emit({
      type: 'weights',
      key: 'worker:1',
      tensors: xorWeights(),
      epoch: 3,
      at: { epoch: 3, batch: 10, batchesPerEpoch: 10 },
    });
    const before = graph.project;
    worker.stopAnswer = 'terminated';
    await training.stop();
    expect(training.state).toBe('stopped');
    expect(training.notice).toContain('did not stop');
    expect(graph.project).toBe(before);
    expect(training.hasWeights).toBe(true);
    expect(training.canTrain).toBe(true);
  });

  it('a step that hung ends the run as failed on its node; the network and the last weights stay', () => {
    training.train();
    worker.emit({ type: 'state', state: 'running' });
    worker.emit({
      type: 'weights',
      key: 'worker:1',
      tensors: xorWeights(),
      epoch: 7,
      at: { epoch: 7, batch: 0, batchesPerEpoch: 1 },
    });
    const before = graph.project;
    const reason =
      'node h1 (Loop from plugin user:loop.js): forward did not finish within 5 s (during a training step: epoch 8, step 61), so the training worker was ended and started again; the network and its last weights are kept';
    worker.restart(reason, { kind: 'hang', node: 'h1', plugin: 'user:loop.js' });
    expect(training.state).toBe('failed');
    expect(training.error).toEqual({
      code: 'PLUGIN',
      message: reason,
      place: { node: 'h1', plugin: 'user:loop.js' },
    });
    expect(training.errorNode).toBe('h1');
    expect(graph.project).toBe(before);
    expect(training.hasWeights).toBe(true);
    expect(training.weightsEpoch).toBe(7);
    expect(training.canTrain).toBe(true);
  });

  it('a worker ended while no run is on is told as a notice', () => {
    worker.restart('the training worker stopped unexpectedly …', { kind: 'dead' });
    expect(training.state).toBe('idle');
    expect(training.notice).toBe('the training worker stopped unexpectedly …');
  });

  it('reset forgets the run', async () => {
    training.train();
    worker.emit({ type: 'state', state: 'running' });
    worker.emit({
      type: 'epochs',
      stats: [{ epoch: 1, trainLoss: 1, trainAccuracy: null, testLoss: null, testAccuracy: null }],
    });
    worker.emit({
      type: 'weights',
      key: 'worker:1',
      tensors: xorWeights(),
      epoch: 1,
      at: { epoch: 1, batch: 10, batchesPerEpoch: 10 },
    });
    const stopping = training.reset();
    await stopping;
    expect(worker.sent.at(-1)).toEqual({ type: 'stop' });
    expect(training.state).toBe('idle');
    expect(training.history.epochs).toEqual([]);
    expect(training.weights).toBeNull();
    expect(training.progress).toBeNull();
  });

  it('shows a failure with the node it happened at', () => {
    training.train();
    worker.emit({
      type: 'state',
      state: 'failed',
      error: {
        code: 'NON_FINITE',
        message: 'Training diverged at epoch 3',
        place: { node: 'fc2' },
      },
    });
    expect(training.state).toBe('failed');
    expect(training.errorNode).toBe('fc2');
    expect(training.starting).toBe(false);
  });

  it('imports matching weights to start from, and lists every mismatch of weights that do not fit', async () => {
    graph.summary = summaryOf({}, true);
    graph.summary.weightShapes = {
      'fc1.weight': [8, 2],
      'fc1.bias': [8],
      'fc2.weight': [1, 8],
      'fc2.bias': [1],
    };
    const named = (ts: WireTensor[]) =>
      Object.fromEntries(
        ts.map((t) => [t.name, { shape: t.shape, data: new Float32Array(t.buffer) }]),
      );

    host.nextWeights = {
      name: 'bad.safetensors',
      bytes: writeSafetensors(named(xorWeights().slice(1))),
    };
    expect(await training.importWeights()).toBe(false);
    expect(training.importProblems).toEqual([
      'bad.safetensors: weights do not match the network: 1 missing tensor',
      'fc1.weight: missing from the file (expected shape [8, 2])',
    ]);
    // NaN or Infinity in a file is refused too, naming the file and the tensor.
    const broken = named(xorWeights());
    broken['fc2.weight'].data[3] = Number.NaN;
    broken['fc1.bias'].data[0] = Number.POSITIVE_INFINITY;
    host.nextWeights = { name: 'nan.safetensors', bytes: writeSafetensors(broken) };
    expect(await training.importWeights()).toBe(false);
    expect(training.importProblems).toEqual([
      'nan.safetensors: the weights are not all finite numbers: fc1.bias: holds Infinity at [0]; fc2.weight: holds NaN at [0, 3]; these weights cannot be trained or exported (they may come from a run that diverged)',
      'fc1.bias: holds Infinity at [0]',
      'fc2.weight: holds NaN at [0, 3]',
    ]);
    expect(training.hasWeights).toBe(false);

    host.nextWeights = { name: 'good.safetensors', bytes: writeSafetensors(named(xorWeights())) };
    expect(await training.importWeights()).toBe(true);
    expect(training.importProblems).toEqual([]);
    expect(training.weightsNormalization).toBeNull();
    // A file with the statistics it was trained with: they are kept with the weights.
    const norm = { kind: 'minmax' as const, offset: [-5, -5], scale: [10, 10] };
    host.nextWeights = {
      name: 'normalized.safetensors',
      bytes: writeSafetensors(named(xorWeights()), makeWeightsMetadata(undefined, norm)),
    };
    expect(await training.importWeights()).toBe(true);
    expect(training.weightsNormalization).toEqual(norm);
    training.train();
    const msg = worker.sentOf('train').at(-1)!;
    // The loaded weights are given to the worker once and the run names them.
    const hold = worker.sentOf('holdWeights').at(-1)!;
    expect(msg.weights).toBe(hold.key);
    expect(hold.tensors.map((t) => t.name).sort()).toEqual([
      'fc1.bias',
      'fc1.weight',
      'fc2.bias',
      'fc2.weight',
    ]);
  });

  it('gives the worker the CSV text a csv: source names once, and refuses to start without it', async () => {
    graph.apply({ type: 'setData', data: { source: 'csv:/data/points.csv', target: 'label' } });
    training.train();
    expect(training.state).toBe('failed');
    expect(training.error?.message).toContain("'/data/points.csv' is not loaded");
    expect(worker.sentOf('train')).toEqual([]);

    host.nextCsv = { name: 'points.csv', path: '/data/points.csv', text: 'a,b,label\n1,2,0\n' };
    const file = await useDataStore().importCsv();
    expect(file?.key).toBe('/data/points.csv');
    // Not kept until the columns are chosen.
    training.train();
    expect(worker.sentOf('train')).toEqual([]);
    useDataStore().add(file!);
    expect(worker.dataFiles).toEqual({ '/data/points.csv': 'a,b,label\n1,2,0\n' });
    training.train();
    worker.emit({ type: 'state', state: 'finished' });
    training.train();
    void training.measureMemory(4);
    await flush();
    expect(worker.sentOf('train')).toHaveLength(2);
    expect(worker.sentOf('measureMemory')).toHaveLength(1);
    // The text crossed once; the runs and the memory measurement name it by their data source.
    expect(worker.sentOf('dataFile')).toHaveLength(1);
    for (const m of [...worker.sentOf('train'), ...worker.sentOf('measureMemory')])
      expect(JSON.stringify(m)).not.toContain('a,b,label');
    useDataStore().forget('/data/points.csv');
    expect(worker.dataFiles).toEqual({});
  });

  it('measures memory through the worker', async () => {
    const measuring = training.measureMemory(8);
    await flush();
    worker.answer('measureMemory', (m) => ({
      type: 'memory',
      id: m.id,
      report: {
        nodes: { fc1: { savedBytes: 64, recomputedBytes: 0, tensors: 1 } },
        peakSavedBytes: 64,
        afterForwardBytes: 64,
      },
    }));
    expect((await measuring)?.peakSavedBytes).toBe(64);
    expect(training.memory?.nodes.fc1.savedBytes).toBe(64);
    expect(worker.sentOf('measureMemory')[0].batch).toBe(8);
  });
});

describe('data store', () => {
  it('scans the whole of an imported CSV: header and every row', async () => {
    host.nextCsv = { name: 'p.csv', text: 'a,b,"the label"\n1,2,x\n\n3,4,y\n5,6,x\n' };
    const file = await useDataStore().importCsv();
    expect(file?.key).toBe('p.csv');
    expect(useDataStore().files).toEqual({});
    const scan = scanCsv(file!);
    expect(scan.columns).toEqual(['a', 'b', 'the label']);
    expect(scan.rows).toEqual([
      ['1', '2', 'x'],
      ['3', '4', 'y'],
      ['5', '6', 'x'],
    ]);
    expect(scanCsv(file!)).toBe(scan);
    expect(csvProblems(file!, scan, ['b']).problems.map((p) => p.message)).toEqual([
      'p.csv:2:3: "x" is not a number (column \'the label\')',
      'p.csv:4:3: "y" is not a number (column \'the label\')',
      'p.csv:5:3: "x" is not a number (column \'the label\')',
    ]);
  });
});
