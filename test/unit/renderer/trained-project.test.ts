// The stores over the real worker code: a project keeps its training. Save writes it (after a
// run, and during one), opening shows it again (curves, epoch, weights) and Train continues it to
// the weights an uninterrupted run gives, bit for bit; a file whose training does not fit opens
// without it and says why; the browser reopens the last project with its training.
import { afterEach, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../core/io/safetensors';
import { parseWeightsMetadata } from '../../../core/io/weights-metadata';
import { requestExport } from '../../../renderer/panels/export/export-request';
import { useGraphStore } from '../../../renderer/stores/graph';
import { usePluginsStore } from '../../../renderer/stores/plugins';
import { useProjectStore } from '../../../renderer/stores/project';
import { useTrainingStore } from '../../../renderer/stores/training';
import { WorkerClient } from '../../../renderer/worker/client';
import type { FakeHost } from './helpers/fake-host';
import { fakeHost } from './helpers/fake-host';
import { inProcessWorker, until } from './helpers/in-process-worker';
import { XOR, freshStores } from './helpers/stores';

const clients: WorkerClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});

/** XOR with Adam and dropout, 6 epochs of ten batches. */
const PROJECT = (() => {
  const p = structuredClone(XOR) as any;
  p.nodes.splice(3, 0, { id: 'drop', type: 'Dropout', params: { p: 0.2 }, inputs: ['h1'] });
  p.nodes[4].inputs = ['drop'];
  p.training = { ...p.training, optimizer: { type: 'adam', lr: 0.02 }, epochs: 6 };
  return p;
})();

async function app(host: FakeHost = fakeHost(), o: { trainedMs?: number } = {}) {
  const client = new WorkerClient({ spawn: inProcessWorker(o).spawn });
  clients.push(client);
  freshStores({ worker: client, host });
  const project = useProjectStore();
  project.setConfirmDiscard(async () => true);
  await usePluginsStore().init();
  await project.init();
  return { host, graph: useGraphStore(), training: useTrainingStore(), project };
}

async function openText(project: ReturnType<typeof useProjectStore>, host: FakeHost, text: string) {
  host.nextOpen = { name: 'trained.json', path: '/p/trained.json', text };
  expect(await project.open()).toBe(true);
}

function bits(w: Record<string, { data: Float32Array }> | null): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(w ?? {}).map(([k, t]) => [k, Array.from(new Uint32Array(t.data.buffer))]),
  );
}

async function uninterrupted() {
  const { host, project, training } = await app();
  await openText(project, host, JSON.stringify(PROJECT));
  training.train();
  await until(() => training.state === 'finished', 'the end of the run');
  await until(() => training.weightsEpoch === 6, 'the last weights');
  return { weights: bits(training.weights), history: structuredClone(training.history) };
}

describe('a project keeps its training in the app', () => {
  it('stopped mid-epoch, saved, reopened elsewhere and continued: the uninterrupted run', async () => {
    const whole = await uninterrupted();

    // ---- 23 batches by hand (two epochs and three batches), then Stop and Save ----
    const a = await app();
    await openText(a.project, a.host, JSON.stringify(PROJECT));
    a.training.step();
    await until(() => a.training.paused, 'a paused run');
    for (let i = 1; i < 23; i++) {
      const before = a.training.progress?.steps ?? 0;
      a.training.step();
      await until(() => (a.training.progress?.steps ?? 0) > before, `step ${i + 1}`);
    }
    await a.training.stop();
    await until(() => a.training.trained?.batch === 3, 'the stopped run kept');
    expect(a.project.dirty).toBe(true); // the run is not saved yet
    expect(await a.project.save()).toBe(true);
    expect(a.project.dirty).toBe(false);
    const text = a.host.saved.at(-1)!.text;
    const file = JSON.parse(text);
    expect(file.version).toBe(2);
    expect(file.trained).toMatchObject({ epoch: 2, batch: 3, optimizer: { type: 'adam' } });

    // ---- another app opens it: the same curves, epoch and weights, and Train goes on ----
    const b = await app();
    await openText(b.project, b.host, text);
    await until(() => b.training.trained !== null, 'the opened training');
    expect(b.project.dirty).toBe(false);
    expect(b.training.history.trainLoss).toEqual(a.training.history.trainLoss);
    expect(b.training.history.epochs).toEqual([1, 2]);
    expect(b.training.epoch).toBe(3);
    expect(b.training.state).toBe('stopped');
    expect(b.training.loss).toBe(a.training.loss);
    expect(bits(b.training.weights)).toEqual(bits(a.training.weights));
    expect(b.training.weightsEpoch).toBe(2);
    expect(b.training.resumable).toBe(true);
    expect(b.training.trainedProblem).toBeNull();

    b.training.train();
    await until(() => b.training.state === 'finished', 'the resumed run to finish');
    await until(() => b.training.weightsEpoch === 6, 'the last weights');
    expect(bits(b.training.weights)).toEqual(whole.weights);
    expect(b.training.history.trainLoss).toEqual(whole.history.trainLoss);
    expect(b.training.history.testAccuracy).toEqual(whole.history.testAccuracy);
    expect(b.project.dirty).toBe(true);
  });

  it('saving during a run keeps that moment, and the run goes on', async () => {
    const { host, project, training, graph } = await app();
    await openText(
      project,
      host,
      JSON.stringify({ ...PROJECT, training: { ...PROJECT.training, epochs: 100_000 } }),
    );
    training.train();
    await until(() => (training.progress?.epoch ?? 0) > 3, 'a few epochs');
    expect(await project.save()).toBe(true);
    const saved = JSON.parse(host.saved.at(-1)!.text).trained;
    expect(saved.epoch).toBeGreaterThanOrEqual(3);
    expect(training.running).toBe(true);
    await until(() => (training.progress?.epoch ?? 0) > saved.epoch + 3, 'more epochs');
    await training.stop();
    expect(graph.project.training?.epochs).toBe(100_000);
  });

  it('Reset forgets the training: Train starts over, and Save writes version 1 again', async () => {
    const { host, project, training } = await app();
    await openText(project, host, JSON.stringify(PROJECT));
    training.train();
    await until(() => training.state === 'finished', 'the run');
    await until(() => training.trained?.epoch === 6, 'the run kept');
    await training.reset();
    expect(training.trained).toBeNull();
    expect(await project.save()).toBe(true);
    expect(JSON.parse(host.saved.at(-1)!.text).version).toBe(1);
    expect(JSON.parse(host.saved.at(-1)!.text).trained).toBeUndefined();
  });

  it('a project too long for the host is not saved, and the message says why', async () => {
    const host = fakeHost();
    host.maxProjectText = 1000;
    const { project, training } = await app(host);
    await openText(project, host, JSON.stringify(PROJECT));
    training.train();
    await until(() => training.trained?.epoch === 6, 'the run kept');
    expect(await project.save()).toBe(false);
    expect(host.saved).toHaveLength(0);
    expect(project.hostError).toMatch(
      /^the project could not be saved: with its training it is 0 MB, more than a project file may hold \(0 MB\); the history of 6 epochs takes most of it/,
    );
    expect(project.dirty).toBe(true);
  });

  it('a file whose training does not fit opens without it, naming the field', async () => {
    const a = await app();
    await openText(a.project, a.host, JSON.stringify(PROJECT));
    a.training.train();
    await until(() => a.training.state === 'finished', 'the run');
    await until(() => a.training.trained?.epoch === 6, 'the run kept');
    await a.project.save();
    const file = JSON.parse(a.host.saved.at(-1)!.text);
    file.nodes[1].params.units = 4; // edited by hand: the weights no longer fit

    const b = await app();
    await openText(b.project, b.host, JSON.stringify(file));
    await until(() => b.training.trainedProblem !== null, 'the check');
    expect(b.graph.nodes).toHaveLength(6);
    expect(b.training.trained).toBeNull();
    expect(b.training.history.epochs).toEqual([]);
    expect(b.training.weights).toBeNull();
    expect(b.training.state).toBe('idle');
    expect(b.training.trainedProblem!.problems).toContain(
      'trained.weights.fc1.weight: expected shape [4, 2], file has [8, 2]',
    );
    expect(b.project.dirty).toBe(false);

    // And a broken section is named at once, before any check.
    file.nodes[1].params.units = 8;
    file.trained.history.trainLoss = [];
    await openText(b.project, b.host, JSON.stringify(file));
    expect(b.training.trainedProblem?.message).toBe(
      'trained.json: trained.history.trainLoss: holds 0 epochs, but trained.epoch is 6',
    );
    expect(b.training.trained).toBeNull();
  });

  it('a changed network starts over when Train is pressed, and says so', async () => {
    const { host, project, training, graph } = await app();
    await openText(project, host, JSON.stringify(PROJECT));
    training.step();
    await until(() => training.paused, 'a step');
    await training.stop();
    await until(() => training.trained !== null, 'the run kept');
    expect(training.resumable).toBe(true);
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 5 } });
    expect(training.resumable).toBe(false);
    // Other settings only steer the rest of the run.
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 8 } });
    graph.apply({ type: 'setTraining', training: { epochs: 9 } });
    expect(training.resumable).toBe(true);
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 5 } });
    training.train();
    expect(training.notice).toMatch(
      /changed since it was trained to epoch 0: training starts from the beginning/,
    );
    await until(() => training.state === 'finished', 'the new run');
  });
});

describe('normalized inputs: the statistics are kept with the training', () => {
  it('reopened, the run exports with the statistics it was trained with and resumes bit for bit', async () => {
    const normalized = { ...PROJECT, data: { ...PROJECT.data, normalize: 'minmax' } };
    const whole = await (async () => {
      const { host, project, training } = await app();
      await openText(project, host, JSON.stringify(normalized));
      training.train();
      await until(() => training.state === 'finished', 'the end of the run');
      await until(() => training.weightsEpoch === 6, 'the last weights');
      return bits(training.weights);
    })();

    const a = await app();
    await openText(a.project, a.host, JSON.stringify(normalized));
    a.training.step();
    await until(() => a.training.paused, 'a paused run');
    for (let i = 1; i < 13; i++) {
      const before = a.training.progress?.steps ?? 0;
      a.training.step();
      await until(() => (a.training.progress?.steps ?? 0) > before, `step ${i + 1}`);
    }
    await a.training.stop();
    await until(() => a.training.trained?.batch === 3, 'the stopped run kept');
    expect(await a.project.save()).toBe(true);
    const text = a.host.saved.at(-1)!.text;
    const inFile = JSON.parse(text).trained.normalization;
    expect(inFile.kind).toBe('minmax');
    expect(inFile.offset).toHaveLength(2);
    // The file holds each float32 in its shortest text: read as float32, the run's statistics.
    const saved = {
      kind: 'minmax',
      offset: inFile.offset.map(Math.fround),
      scale: inFile.scale.map(Math.fround),
    };
    expect(a.training.weightsNormalization).toEqual(saved);

    const b = await app();
    await openText(b.project, b.host, text);
    await until(() => b.training.trained !== null, 'the opened training');
    expect(b.training.trainedProblem).toBeNull();
    expect(b.training.weightsNormalization).toEqual(saved);
    // Export, as the dialog asks for it (the weights and statistics the UI keeps).
    const r = await requestExport('safetensors', {
      live: false,
      weights: b.training.weights,
      project: b.graph.project,
      normalization: b.training.weightsNormalization,
    });
    expect(r.ok).toBe(true);
    const meta = parseWeightsMetadata(readSafetensors((r as { data: Uint8Array }).data).metadata);
    expect(meta.normalization).toEqual(saved);

    b.training.train();
    await until(() => b.training.state === 'finished', 'the resumed run to finish');
    await until(() => b.training.weightsEpoch === 6, 'the last weights');
    expect(bits(b.training.weights)).toEqual(whole);
  });
});

describe('the desktop’s autosave keeps the training too', () => {
  it('a crash after training: the autosave is offered with its training, and restored', async () => {
    const a = await app();
    a.project.autosaveDelayMs = 0;
    await openText(a.project, a.host, JSON.stringify(PROJECT));
    a.training.train();
    await until(() => a.training.state === 'finished', 'the run');
    await until(
      () => JSON.parse(a.host.autosaved ?? '{}').trained?.epoch === 6,
      'the autosave with the training',
    );

    // ---- the next start: the same file reopens (untrained on disk), the autosave is offered ----
    const host = fakeHost();
    host.autosaved = a.host.autosaved;
    const b = await app(host);
    expect(b.project.restoreOffer).not.toBeNull();
    b.project.restore();
    await until(() => b.training.trained !== null, 'the training restored');
    expect(b.training.history.trainLoss).toEqual(a.training.history.trainLoss);
    expect(b.training.state).toBe('finished');
    expect(b.project.dirty).toBe(true);
  });
});

describe('nothing is lost on reload (the browser keeps the last project)', () => {
  it('the open project, its training and its unsaved state come back at the next start', async () => {
    const kept: string[] = [];
    const host = fakeHost();
    host.keepLastProject = async (p) => void kept.push(JSON.stringify(p));
    const a = await app(host);
    await openText(a.project, host, JSON.stringify(PROJECT));
    a.training.train();
    await until(() => a.training.state === 'finished', 'the run');
    await until(() => a.training.trained?.epoch === 6, 'the run kept');
    // Kept a moment after the last change (the run's last snapshot).
    for (let i = 0; i < 100; i++) {
      if (kept.length && JSON.parse(JSON.parse(kept.at(-1)!).text).trained?.epoch === 6) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = JSON.parse(kept.at(-1)!);
    expect(last).toMatchObject({ name: 'trained.json', dirty: true });

    // ---- the page reloads: a new app on the same storage ----
    const again = fakeHost();
    again.last = last;
    const b = await app(again);
    expect(b.project.name).toBe('XOR');
    expect(b.project.fileName).toBe('trained.json');
    expect(b.graph.nodes.map((n) => n.id)).toContain('drop');
    expect(b.project.dirty).toBe(true);
    await until(() => b.training.trained !== null, 'the training back');
    expect(b.training.history.trainLoss).toEqual(a.training.history.trainLoss);
    expect(b.training.epoch).toBe(6);
    expect(b.training.state).toBe('finished');
    expect(bits(b.training.weights)).toEqual(bits(a.training.weights));
  });

  it('without a kept project the app starts on the example', async () => {
    const host = fakeHost();
    host.keepLastProject = async () => {};
    const { project, graph, training } = await app(host);
    expect(project.name).toBe('XOR');
    expect(graph.nodes).toHaveLength(5);
    expect(training.trained).toBeNull();
  });
});
