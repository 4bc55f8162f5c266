// The 'export' message: every format from a trained XOR model in the worker, the same file from
// weights sent by the UI, and the refusals (ONNX for an unmapped plugin names the node).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../../core/io/safetensors';
import { readWeightsJson } from '../../../../core/io/weights-json';
import { parseWeightsMetadata } from '../../../../core/io/weights-metadata';
import type { ProjectInput } from '../../../../core/graph/schema';
import { requestExport } from '../../../../renderer/panels/export/export-request';
import { WorkerClient } from '../../../../renderer/worker/client';
import type { FromWorker, ToWorker } from '../../../../renderer/worker/protocol';
import { fromWireTensors } from '../../../../renderer/worker/wire';
import { createWorkerCore } from '../../../../renderer/worker/worker-core';
import { makeProject, mlp, nodeHost } from '../../../helpers/project';
import { FOLDER_FILES } from '../../../../core/export';
import { parseProject } from '../../../../core/graph/parse';
import { LayerRegistry } from '../../../../core/layers/registry';
import { prepareTraining } from '../../../../core/project/prepare';
import { inProcessWorker, nodeWorkerDeps } from '../helpers/in-process-worker';
import { freshStores } from '../helpers/stores';

const pluginDir = fileURLToPath(new URL('../../../../plugins/', import.meta.url));
const wacky = { file: 'app:wacky.js', source: readFileSync(pluginDir + 'wacky.js', 'utf8') };

function setup() {
  const out: FromWorker[] = [];
  const core = createWorkerCore(nodeWorkerDeps((m) => out.push(m)));
  const of = <T extends FromWorker['type']>(type: T) =>
    out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  return { core, out, of, send: (m: ToWorker) => core.handle(m) };
}

const xor = (over: Partial<ProjectInput> = {}) =>
  makeProject(mlp(1, 4), { training: { epochs: 20, batchSize: 16, seed: 3 }, ...over });

async function trained(project = xor()) {
  const w = setup();
  await w.send({ type: 'train', project });
  await w.core.runDone();
  return w;
}

function reply(w: ReturnType<typeof setup>, id: number) {
  const m = w.out.find(
    (x): x is Extract<FromWorker, { type: 'exported' | 'error' }> =>
      (x.type === 'exported' || x.type === 'error') && x.id === id,
  );
  if (!m) throw new Error(`no reply to export ${id}`);
  return m;
}

describe('worker export with data.normalize', () => {
  const normalized = () =>
    xor({
      data: { source: 'builtin:xor', samples: 64, testFraction: 0.25, normalize: 'standardize' },
    });

  it('the run reports its statistics with the weights and exports them', async () => {
    const w = await trained(normalized());
    const sent = w.of('weights').at(-1)!;
    expect(sent.normalization?.kind).toBe('standardize');
    await w.send({ type: 'export', id: 1, format: 'safetensors' });
    const back = readSafetensors((reply(w, 1) as { data: Uint8Array }).data);
    expect(parseWeightsMetadata(back.metadata).normalization).toEqual(sent.normalization);
  });

  it('weights sent by the UI export with the normalization sent along', async () => {
    const w = await trained(normalized());
    const sent = w.of('weights').at(-1)!;
    await w.send({
      type: 'export',
      id: 2,
      format: 'json',
      project: normalized(),
      weights: sent.key,
      normalization: sent.normalization,
    });
    const json = readWeightsJson((reply(w, 2) as { data: string }).data);
    expect(json.normalization).toEqual(sent.normalization);
  });
});

describe('worker export', () => {
  it('exports the trained model as safetensors with the trained weights', async () => {
    const w = await trained();
    await w.send({ type: 'export', id: 1, format: 'safetensors' });
    const r = reply(w, 1);
    expect(r.type).toBe('exported');
    const data = (r as { data: Uint8Array }).data;
    expect(data).toBeInstanceOf(Uint8Array);
    const back = readSafetensors(data);
    const last = fromWireTensors(w.of('weights').at(-1)!.tensors);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(last).sort());
    expect(Array.from(back.tensors['fc1.weight'].data)).toEqual(
      Array.from(last['fc1.weight'].data),
    );
  });

  it('exports JSON weights, an ONNX model and PyTorch code', async () => {
    const w = await trained();
    await w.send({ type: 'export', id: 2, format: 'json' });
    await w.send({ type: 'export', id: 3, format: 'onnx' });
    await w.send({ type: 'export', id: 4, format: 'py' });
    const json = (reply(w, 2) as { data: string }).data;
    expect(typeof json).toBe('string');
    expect(Object.keys(readWeightsJson(json).tensors)).toContain('out.weight');
    const onnx = (reply(w, 3) as { data: Uint8Array }).data;
    expect(onnx).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(onnx)).toContain('Gemm');
    const py = (reply(w, 4) as { data: string }).data;
    expect(py).toContain('def build(');
    expect(py).toContain('def load(');
  });

  it('exports weights the UI sends with their project, the same bytes as from the run', async () => {
    const project = xor();
    const w = await trained(project);
    await w.send({ type: 'export', id: 1, format: 'safetensors' });
    const fromRun = (reply(w, 1) as { data: Uint8Array }).data;
    // A fresh worker (the old one was replaced) gets the weights from the UI.
    const fresh = setup();
    const tensors = w.of('weights').at(-1)!.tensors;
    await fresh.send({ type: 'holdWeights', key: 'ui:1', tensors });
    await fresh.send({ type: 'export', id: 9, format: 'safetensors', project, weights: 'ui:1' });
    const fromUi = reply(fresh, 9);
    expect(fromUi.type).toBe('exported');
    expect(Array.from((fromUi as { data: Uint8Array }).data)).toEqual(Array.from(fromRun));
  });

  it('refuses ONNX for a plugin layer without a mapping, naming the node', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [wacky] });
    const nodes = mlp(1, 4);
    nodes.splice(2, 0, { id: 'w1', type: 'Wacky', inputs: ['fc1'] });
    nodes[3] = { ...nodes[3], inputs: ['w1'] };
    await w.send({ type: 'train', project: xor({ nodes, plugins: ['wacky.js'] }) });
    await w.core.runDone();
    expect(w.of('state').at(-1)!.state).toBe('finished');
    await w.send({ type: 'export', id: 5, format: 'onnx' });
    const r = reply(w, 5);
    expect(r.type).toBe('error');
    const error = (r as { error: { message: string; place: { node?: string } } }).error;
    expect(error.message).toContain("node 'w1'");
    expect(error.message).toContain('ONNX');
    // The other formats still work for the same network.
    await w.send({ type: 'export', id: 6, format: 'py' });
    expect(reply(w, 6).type).toBe('exported');
  });

  it('exports a PyTorch training folder with no run: the split and the seed’s weights, as the engine trains', async () => {
    const w = setup();
    const project = xor();
    await w.send({ type: 'exportFolder', id: 7, project });
    const r = w.out.find((m) => 'id' in m && m.id === 7)!;
    expect(r.type).toBe('exportedFolder');
    const files = (r as Extract<FromWorker, { type: 'exportedFolder' }>).files;
    expect(files.map((f) => f.name)).toEqual([...FOLDER_FILES]);
    const byName = Object.fromEntries(files.map((f) => [f.name, f.data]));
    const prepared = prepareTraining(parseProject(project), {
      host: nodeHost,
      registry: new LayerRegistry(),
    });
    const data = readSafetensors(byName['data.safetensors'] as Uint8Array).tensors;
    expect(data['train.x'].data).toEqual(prepared.train.x);
    expect(data['test.y'].data).toEqual(prepared.test.y);
    const initial = readSafetensors(byName['initial.safetensors'] as Uint8Array).tensors;
    expect(initial['fc1.weight'].data).toEqual(
      prepared.trainer.model.exportWeights()['fc1.weight'].data,
    );
    expect(JSON.parse(byName['training.json'] as string).seed).toBe(3);
  });

  it('refuses a training folder for a plugin without PyTorch code, and for CSV data not loaded', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [wacky] });
    const nodes = mlp(1, 4);
    nodes.splice(2, 0, { id: 'w1', type: 'Wacky', inputs: ['fc1'] });
    nodes[3] = { ...nodes[3], inputs: ['w1'] };
    await w.send({
      type: 'exportFolder',
      id: 8,
      project: xor({ nodes, plugins: ['wacky.js'] }),
    });
    const r = w.out.find((m) => 'id' in m && m.id === 8)! as Extract<FromWorker, { type: 'error' }>;
    expect(r.type).toBe('error');
    expect(r.error.message).toContain("node 'w1' uses the plugin layer Wacky");
    expect(r.error.place.node).toBe('w1');
    const csv = xor({ data: { source: 'csv:points.csv', target: 'y' } });
    await w.send({ type: 'exportFolder', id: 9, project: csv });
    const r2 = w.out.find((m) => 'id' in m && m.id === 9)! as Extract<
      FromWorker,
      { type: 'error' }
    >;
    expect(r2.error.message).toContain("the data file 'points.csv' is not loaded");
  });

  it('says to train first when there is no model, and lists every weight that does not fit', async () => {
    const w = setup();
    await w.send({ type: 'export', id: 1, format: 'json' });
    const none = reply(w, 1) as { type: string; error: { message: string } };
    expect(none.type).toBe('error');
    expect(none.error.message).toMatch(/train first/);

    const bad = [
      { name: 'fc1.weight', shape: [3, 2], buffer: new Float32Array(6).buffer },
      { name: 'extra.weight', shape: [1], buffer: new Float32Array(1).buffer },
    ];
    await w.send({ type: 'holdWeights', key: 'ui:1', tensors: bad });
    await w.send({ type: 'export', id: 2, format: 'safetensors', project: xor(), weights: 'ui:1' });
    const r = reply(w, 2) as { type: string; error: { message: string; problems?: string[] } };
    expect(r.type).toBe('error');
    const all = [r.error.message, ...(r.error.problems ?? [])].join('\n');
    expect(all).toContain('fc1.weight');
    expect(all).toContain('extra.weight');
    expect(all).toContain('out.bias');
  });
});

describe('requestExport over the worker client', () => {
  let client: WorkerClient | null = null;
  afterEach(() => {
    client?.dispose();
    client = null;
  });

  it('sends the kept weights with their project and resolves with the file', async () => {
    const w = await trained();
    const weights = fromWireTensors(w.of('weights').at(-1)!.tensors);
    client = new WorkerClient({ spawn: inProcessWorker().spawn });
    freshStores({ worker: client });
    const ok = await requestExport('json', { live: false, weights, project: xor() });
    expect(ok.ok).toBe(true);
    expect(Object.keys(readWeightsJson((ok as { data: string }).data).tensors)).toContain(
      'fc1.bias',
    );
    const none = await requestExport('onnx', { live: true, weights: null, project: xor() });
    expect(none).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/train first/) },
    });
  });
});
