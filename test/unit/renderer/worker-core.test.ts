import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../core/graph/schema';
import type { FromWorker, ToWorker, WireTensor } from '../../../renderer/worker/protocol';
import { createWorkerCore } from '../../../renderer/worker/worker-core';
import { kernelInfo } from '../../../core/ops/kernels/wasm-kernel';
import { makeProject, mlp } from '../../helpers/project';
import { nodeWorkerDeps, tick, until } from './helpers/in-process-worker';

const pluginDir = fileURLToPath(new URL('../../../plugins/', import.meta.url));
const plugin = (name: string) => ({
  file: `app:${name}`,
  source: readFileSync(pluginDir + name, 'utf8'),
});

function setup() {
  const out: FromWorker[] = [];
  const core = createWorkerCore(nodeWorkerDeps((m) => out.push(m)));
  const of = <T extends FromWorker['type']>(type: T) =>
    out.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
  const states = () => of('state').map((m) => m.state);
  return { core, out, of, states, send: (m: ToWorker) => core.handle(m) };
}

const xor = (over: Partial<ProjectInput> = {}) => makeProject(mlp(1, 4), over);

describe('worker-core: compile', () => {
  it('answers with every node’s shape, parameter count and the model’s weight shapes', async () => {
    const w = setup();
    await w.send({ type: 'compile', id: 7, project: xor() });
    const [m] = w.of('compiled');
    expect(m.id).toBe(7);
    expect(m.summary.ok).toBe(true);
    expect(m.summary.nodes.fc1).toMatchObject({
      outShape: [4],
      inShapes: [[2]],
      paramCount: 12,
      trainable: true,
      used: true,
      weights: { weight: [4, 2], bias: [4] },
    });
    expect(m.summary.nodes.y.outShape).toEqual([1]);
    expect(m.summary.weightShapes).toEqual({
      'fc1.weight': [4, 2],
      'fc1.bias': [4],
      'out.weight': [1, 4],
      'out.bias': [1],
    });
  });

  it('lists problems by node and still gives the shapes of the nodes that have one', async () => {
    const w = setup();
    const nodes = mlp(1, 4);
    nodes.push({ id: 'sum', type: 'Add', inputs: ['fc1', 'x'] }); // [4] + [2]
    await w.send({ type: 'compile', id: 1, project: makeProject(nodes, { output: 'sum' }) });
    const [m] = w.of('compileError');
    expect(m.error.code).toBe('PROJECT_GRAPH');
    expect(m.error.issues).toEqual([
      expect.objectContaining({ node: 'sum', message: expect.stringContaining('same shape') }),
    ]);
    expect(m.summary.ok).toBe(false);
    expect(m.summary.nodes.fc1.outShape).toEqual([4]);
    expect(m.summary.nodes.sum).toBeUndefined();
  });

  it('marks nodes that do not feed the output as unused and untrained', async () => {
    const w = setup();
    const nodes = [
      ...mlp(1, 4),
      { id: 'side', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
    ];
    await w.send({ type: 'compile', id: 1, project: makeProject(nodes, { output: 'y' }) });
    const [m] = w.of('compiled');
    expect(m.summary.nodes.side).toMatchObject({ outShape: [3], used: false, trainable: false });
    expect(m.summary.warnings[0]).toContain('side');
  });

  it('warns about a stray node with problems, on that node, and compiles the rest', async () => {
    const w = setup();
    const nodes = [...mlp(1, 4), { id: 'relu1', type: 'ReLU' }];
    await w.send({ type: 'compile', id: 1, project: makeProject(nodes, { output: 'y' }) });
    const [m] = w.of('compiled');
    expect(m.summary.ok).toBe(true);
    expect(m.summary.warnings).toEqual([
      "not connected to the output 'y', so training and export leave it out: relu1 (takes 1 input, got 0)",
    ]);
    expect(m.summary.nodeWarnings.map((i) => [i.node, i.path, i.message])).toEqual([
      [
        'relu1',
        'nodes[5]',
        "node 'relu1' (ReLU): not connected to the output 'y', so training and export leave it out",
      ],
      ['relu1', 'nodes[5].inputs', "node 'relu1' (ReLU): takes 1 input, got 0"],
    ]);
  });

  it('checks the data too: an output too wide is put on the Dense that sets its width', async () => {
    const w = setup();
    const nodes = mlp(1, 4, { out: { params: { units: 8 } } });
    await w.send({ type: 'compile', id: 1, project: makeProject(nodes) });
    const [m] = w.of('compileError');
    expect(m.error.message).toBe(
      "out makes 8 values per sample and the output 'y' passes them on; BCE needs 1 for the data's 1 target column ('xor'): set out's units to 1",
    );
    expect(m.error.place).toMatchObject({ node: 'out', path: 'nodes[3].params.units' });
    expect(m.summary.nodes.y.outShape).toEqual([8]);
    // Fixed: the next check passes.
    await w.send({ type: 'compile', id: 2, project: makeProject(mlp(1, 4)) });
    expect(w.of('compiled').map((c) => c.id)).toEqual([2]);
  });
});

describe('worker-core: training', () => {
  it('starts paused, steps one batch at a time, resumes, pauses and stops, sending weights', async () => {
    const w = setup();
    await w.send({
      type: 'train',
      project: xor({ training: { epochs: 500, batchSize: 16, seed: 1 } }),

      startPaused: true,
    });
    expect(w.states()).toEqual(['paused']);
    await w.send({ type: 'step' });
    await until(() => w.of('progress').length === 1, 'the first step');
    await w.send({ type: 'step' });
    await until(() => w.of('progress').length === 2, 'the second step');
    expect(w.of('progress').map((m) => m.progress.steps)).toEqual([1, 2]);

    await w.send({ type: 'resume' });
    await until(() => w.of('epochs').length > 0, 'an epoch');
    await w.send({ type: 'pause' });
    await until(() => w.states().at(-1) === 'paused', 'the pause');
    await w.send({ type: 'stop' });
    await w.core.runDone();
    expect(w.states()).toEqual(['paused', 'running', 'paused', 'stopped']);

    const weights = w.of('weights').at(-1)!;
    expect(weights.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['fc1.weight', [4, 2]],
      ['fc1.bias', [4]],
      ['out.weight', [1, 4]],
      ['out.bias', [1]],
    ]);
    expect(new Float32Array(weights.tensors[0].buffer)).toHaveLength(8);
    const epochs = w.of('epochs').flatMap((m) => m.stats.map((s) => s.epoch));
    expect(epochs).toEqual(epochs.map((_, i) => i + 1));
    expect(weights.epoch).toBe(epochs.length);
  });

  it('runs to the end: epochs in order, progress, final weights, then finished', async () => {
    const w = setup();
    await w.send({
      type: 'train',
      project: xor({ training: { epochs: 3, batchSize: 16, seed: 1 } }),
    });
    await w.core.runDone();
    expect(w.states()).toEqual(['running', 'finished']);
    expect(w.of('epochs').flatMap((m) => m.stats.map((s) => s.epoch))).toEqual([1, 2, 3]);
    expect(w.of('progress').at(-1)!.progress).toMatchObject({
      state: 'finished',
      epoch: 3,
      epochs: 3,
    });
    // Weights come after the epochs they belong to, and once more at the end.
    const lastOf = (type: string) => w.out.map((m) => m.type).lastIndexOf(type as never);
    const last = lastOf('weights');
    expect(lastOf('epochs')).toBeLessThan(last);
    expect((w.out[last] as { epoch: number }).epoch).toBe(3);
  });

  it('trains with the kernel mode the message names (fast when it names none)', async () => {
    const w = setup();
    const run = async (kernel?: 'fast' | 'portable') => {
      await w.send({
        type: 'train',
        project: xor({ training: { epochs: 1, batchSize: 16, seed: 1 } }),

        ...(kernel ? { kernel } : {}),
      });
      await w.core.runDone();
      return kernelInfo();
    };
    expect(await run('portable')).toEqual({
      mode: 'portable',
      kernel: 'WebAssembly SIMD',
      block: '4 × 8',
    });
    expect(await run()).toEqual({
      mode: 'fast',
      kernel: 'WebAssembly relaxed SIMD',
      block: '4 × 8',
    });
  });

  it('applies pause and step sent right after train, before the run is ready', async () => {
    const w = setup();
    const started = w.send({
      type: 'train',
      project: xor({ training: { epochs: 50, batchSize: 16, seed: 1 } }),

      startPaused: true,
    });
    void w.send({ type: 'step' });
    await started;
    await until(() => w.of('progress').length === 1, 'the step');
    expect(w.of('progress')[0].progress.steps).toBe(1);
    await w.send({ type: 'stop' });
    await w.core.runDone();
  });

  it('gives the same weights as a second run with the same seed', async () => {
    const run = async () => {
      const w = setup();
      await w.send({
        type: 'train',
        project: xor({ training: { epochs: 2, batchSize: 8, seed: 5 } }),
      });
      await w.core.runDone();
      return w
        .of('weights')
        .at(-1)!
        .tensors.map((t) => Array.from(new Float32Array(t.buffer)));
    };
    expect(await run()).toEqual(await run());
  });

  it('continues from weights it holds (its snapshot, or a set given once), and lists every mismatch of weights that do not fit', async () => {
    const w = setup();
    await w.send({
      type: 'train',
      project: xor({ training: { epochs: 1, batchSize: 16, seed: 1 } }),
    });
    await w.core.runDone();
    const snapshot = w.of('weights').at(-1)!;
    const trained = snapshot.tensors;
    const copy = (ts: WireTensor[]) => ts.map((t) => ({ ...t, buffer: t.buffer.slice(0) }));

    // The run's last snapshot is named by its key: the weights do not cross again.
    await w.send({
      type: 'train',
      project: xor({ training: { epochs: 1, batchSize: 16, seed: 1 } }),
      weights: snapshot.key,
      startPaused: true,
    });
    await w.send({ type: 'getWeights', id: 3 });
    const echoed = w.of('weights').find((m) => m.id === 3)!;
    expect(Array.from(new Float32Array(echoed.tensors[0].buffer))).toEqual(
      Array.from(new Float32Array(trained[0].buffer)),
    );
    await w.send({ type: 'stop' });
    await w.core.runDone();

    const wrong = copy(trained).filter((t) => t.name !== 'out.bias');
    wrong[0] = { ...wrong[0], shape: [2, 4] };
    await w.send({ type: 'holdWeights', key: 'ui:1', tensors: wrong });
    await w.send({ type: 'train', project: xor(), weights: 'ui:1' });
    await w.core.runDone();
    const failed = w.of('state').at(-1)!;
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('WEIGHTS');
    expect(failed.error?.problems).toEqual([
      'fc1.weight: expected shape [4, 2], file has [2, 4]',
      'out.bias: missing from the file (expected shape [1])',
    ]);
  });

  it('fails with the node named when the data does not fit the network', async () => {
    const w = setup();
    const nodes = mlp(1, 4);
    nodes[0] = { id: 'x', type: 'Input', params: { shape: [3] } };
    await w.send({ type: 'train', project: makeProject(nodes) });
    await w.core.runDone();
    const s = w.of('state').at(-1)!;
    expect(s.state).toBe('failed');
    expect(s.error).toMatchObject({ code: 'DATA', place: { node: 'x' } });
    expect(s.error!.message).toContain("Input node 'x'");
  });

  it('fails naming the node when training diverges, keeping the last good weights', async () => {
    const w = setup();
    const project = makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['x'] },
      ],
      {
        loss: { type: 'MSE' },
        // (prediction − 1e30)² overflows float32: the loss is not finite.
        data: {
          x: [
            [0, 1],
            [1, 0],
          ],
          y: [[1e30], [1e30]],
        },
        training: { epochs: 1, batchSize: 2, seed: 1 },
      },
    );
    await w.send({ type: 'train', project });
    await w.core.runDone();
    const s = w.of('state').at(-1)!;
    expect(s.state).toBe('failed');
    expect(s.error).toMatchObject({ code: 'NON_FINITE', place: { node: 'fc', tensor: 'loss' } });
    expect(
      w
        .of('weights')
        .at(-1)!
        .tensors.map((t) => t.name),
    ).toEqual(['fc.weight', 'fc.bias']);
  });

  it('reads CSV data from the file sent once under its key, and says when a file is missing', async () => {
    const w = setup();
    const csv =
      'a,b,label\n' +
      Array.from(
        { length: 40 },
        (_, i) => `${i % 2},${(i >> 1) % 2},${(i % 2) ^ ((i >> 1) % 2)}`,
      ).join('\n');
    const data = { source: 'csv:my.csv', target: 'label', testFraction: 0 };
    await w.send({ type: 'dataFile', key: 'my.csv', text: csv });
    const project = xor({ data, training: { epochs: 2, batchSize: 8, seed: 1 } });
    await w.send({ type: 'train', project });
    await w.core.runDone();
    expect(w.states().at(-1)).toBe('finished');
    // A second run (and a memory measurement) reads the file the worker holds.
    await w.send({ type: 'train', project });
    await w.core.runDone();
    expect(w.states().at(-1)).toBe('finished');
    await w.send({ type: 'measureMemory', id: 5, project, batch: 8 });
    expect(w.out.find((m) => 'id' in m && m.id === 5)?.type).toBe('memory');

    await w.send({ type: 'dataFile', key: 'my.csv', text: null });
    await w.send({ type: 'train', project: xor({ data }) });
    await w.core.runDone();
    const s = w.of('state').at(-1)!;
    expect(s.error).toMatchObject({ code: 'DATA', place: { file: 'my.csv' } });
    expect(s.error!.message).toContain("'my.csv' is not loaded");
  });

  it('trains on a shipped data set (iris) read through the host', async () => {
    const w = setup();
    const project: ProjectInput = {
      ...makeProject([
        { id: 'x', type: 'Input', params: { shape: [4] } },
        { id: 'fc', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      ]),
      loss: { type: 'CrossEntropy' },
      data: { source: 'builtin:iris' },
      training: { epochs: 1, batchSize: 32, seed: 1 },
    };
    await w.send({ type: 'train', project });
    await w.core.runDone();
    expect(w.states()).toEqual(['running', 'finished']);
  });

  it('answers stop and getWeights when nothing has run', async () => {
    const w = setup();
    await w.send({ type: 'stop' });
    expect(w.of('state')).toEqual([{ type: 'state', state: 'idle' }]);
    await w.send({ type: 'getWeights', id: 4 });
    expect(w.of('error')[0]).toMatchObject({ id: 4, error: { code: 'USAGE' } });
  });
});

describe('worker-core: memory', () => {
  it('measures what each node holds for backward in one step', async () => {
    const w = setup();
    await w.send({ type: 'measureMemory', id: 9, project: xor(), batch: 8 });
    const [m] = w.of('memory');
    expect(m.id).toBe(9);
    // fc1's linear keeps its input x: 8 samples × 2 features × 4 bytes.
    expect(m.report.nodes.fc1.savedBytes).toBe(8 * 2 * 4);
    expect(m.report.peakSavedBytes).toBeGreaterThan(0);
  });

  it('answers a project that cannot train with an error carrying the request id', async () => {
    const w = setup();
    await w.send({ type: 'measureMemory', id: 2, project: xor({ output: 'nope' }) });
    expect(w.of('error')[0]).toMatchObject({ id: 2, error: { code: 'PROJECT_GRAPH' } });
  });
});

describe('worker-core: plugins', () => {
  it('loads plugin files (JS and TS), reports their layers and gradient checks', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js'), plugin('swish.ts')] });
    expect(w.of('pluginLoading').map((m) => m.file)).toEqual(['app:wacky.js', 'app:swish.ts']);
    const [m] = w.of('plugins');
    expect(m.statuses.map((s) => [s.file, s.ok, s.layers.map((l) => l.type)])).toEqual([
      ['app:wacky.js', true, ['Wacky']],
      ['app:swish.ts', true, ['Swish']],
    ]);
    expect(m.statuses[0].layers[0].check.gradcheck.ok).toBe(true);
    expect(m.statuses[1].layers[0]).toMatchObject({
      hasBackward: false,
      params: { beta: { type: 'number' } },
    });
  });

  it('compiles and trains a network with a plugin layer', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js')] });
    const nodes = mlp(1, 4, { h1: { type: 'Wacky' } });
    await w.send({ type: 'compile', id: 1, project: makeProject(nodes) });
    expect(w.of('compiled')[0].summary.nodes.h1).toMatchObject({
      outShape: [4],
      weights: { a: [4] },
    });
    await w.send({ type: 'train', project: makeProject(nodes) });
    await w.core.runDone();
    expect(w.states().at(-1)).toBe('finished');
    expect(
      w
        .of('weights')
        .at(-1)!
        .tensors.map((t) => t.name),
    ).toContain('h1.a');
  });

  it('keeps a broken plugin with its message and line, and the others working', async () => {
    const w = setup();
    const broken = {
      file: 'user:bad.js',
      source: 'export default {\n  type: "Bad",\n  build: ({ => 1,\n};',
    };
    await w.send({ type: 'plugins', plugins: [broken, plugin('wacky.js')] });
    const [m] = w.of('plugins');
    expect(m.statuses[0]).toMatchObject({ file: 'user:bad.js', ok: false, error: { line: 3 } });
    expect(m.statuses[0].error!.message).toContain('user:bad.js');
    expect(m.statuses[1]).toMatchObject({ ok: true });
  });

  it('reloads only changed files; a type clash clears once the other file is gone', async () => {
    const w = setup();
    const twin = { file: 'user:twin.js', source: plugin('wacky.js').source };
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js'), twin] });
    expect(w.of('plugins')[0].statuses[1]).toMatchObject({ ok: false });
    expect(w.of('plugins')[0].statuses[1].error!.message).toContain('clashes');

    await w.send({ type: 'plugins', plugins: [twin] });
    expect(w.of('plugins')[1].statuses).toEqual([
      expect.objectContaining({ file: 'user:twin.js', ok: true }),
    ]);
    const loads = w.of('pluginLoading').map((m) => m.file);
    expect(loads).toEqual(['app:wacky.js', 'user:twin.js', 'user:twin.js']);
  });

  it('reads the layer types of a file it does not load (pluginTypes), null for a broken one', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js')] });
    const twin = plugin('wacky.js').source;
    await w.send({ type: 'pluginTypes', id: 3, file: 'user:twin.js', source: twin });
    await w.send({ type: 'pluginTypes', id: 4, file: 'user:bad.js', source: 'export default {' });
    expect(w.of('pluginTypes')).toEqual([
      { type: 'pluginTypes', id: 3, types: ['Wacky'] },
      { type: 'pluginTypes', id: 4, types: null },
    ]);
    // Nothing was loaded: the catalog still holds only wacky.js, and no load was announced.
    expect(w.of('plugins')).toHaveLength(1);
    expect(w.of('pluginLoading').map((m) => m.file)).toEqual(['app:wacky.js']);
    await w.send({ type: 'compile', id: 5, project: makeProject(mlp(1, 4)) });
    expect(w.of('compiled')).toHaveLength(1);
  });

  it('names the node whose plugin layer throws during training', async () => {
    const w = setup();
    const thrower = {
      file: 'user:thrower.js',
      source: `export default {
  type: 'Thrower',
  gradcheck: { inShapes: [[2]] },
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) { if (ctx.training && x.shape[0] > 8) throw new Error('boom'); return ctx.ops.scale(x, 1); },
};`,
    };
    await w.send({ type: 'plugins', plugins: [thrower] });
    expect(w.of('plugins')[0].statuses[0].ok).toBe(true);
    const nodes = mlp(1, 4, { h1: { type: 'Thrower' } });
    await w.send({ type: 'train', project: makeProject(nodes) });
    await w.core.runDone();
    const s = w.of('state').at(-1)!;
    expect(s.state).toBe('failed');
    expect(s.error!.message).toContain('boom');
    expect(s.error!.place.node).toBe('h1');
  });
});

describe('worker-core: checking a draft (the layer editor)', () => {
  const square = (backward: string) => `export default {
  type: 'Square',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) {
    const y = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i] * x.data[i];
    ctx.save(x);
    return y;
  },
  backward(ctx, gy) {
    const [x] = ctx.saved, gx = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) gx.data[i] = ${backward};
    return { x: gx };
  },
};`;

  it('answers with the gradient check of the text without loading it', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js')] });
    await w.send({
      type: 'checkPlugin',
      id: 3,
      file: 'user:square.js',
      source: square('gy.data[i] * x.data[i]'),
    });
    const [wrong] = w.of('pluginChecked');
    expect(wrong.id).toBe(3);
    expect(wrong.status.ok).toBe(true);
    const check = wrong.status.layers[0].check;
    expect(check.ok).toBe(false);
    expect(check.gradcheck.tensors.map((t) => [t.name, t.ok])).toEqual([['x', false]]);

    await w.send({
      type: 'checkPlugin',
      id: 4,
      file: 'user:square.js',
      source: square('2 * gy.data[i] * x.data[i]'),
    });
    expect(w.of('pluginChecked')[1].status.layers[0].check.ok).toBe(true);
    // Nothing was loaded: a network cannot use Square.
    const nodes = mlp(1, 4, { h1: { type: 'Square' } });
    await w.send({ type: 'compile', id: 5, project: makeProject(nodes) });
    expect(w.of('compileError')[0].error.message).toContain('Square');
  });

  it('gives the line of a syntax error, of a throw inside forward, and of a clash', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js')] });
    const send = (id: number, source: string) =>
      w.send({ type: 'checkPlugin', id, file: 'user:draft.js', source });
    await send(1, 'export default {\n  type: "X",\n  forward(ctx x) {}\n};');
    await send(2, square('gy.data[i] * x.data[i]').replace('ctx.save(x);', 'ctx.save(x); nope();'));
    await send(3, plugin('wacky.js').source);
    const [syntax, thrown, clash] = w.of('pluginChecked').map((m) => m.status);
    expect(syntax).toMatchObject({ ok: false, error: { line: 3, column: 15 } });
    const g = thrown.layers[0].check.gradcheck;
    expect(g.error).toContain('during forward: nope is not');
    expect(g.at).toMatchObject({ line: 7 });
    expect(clash).toMatchObject({ ok: false, error: { field: 'type' } });
    expect(clash.error!.message).toContain('clashes with the same type in app:wacky.js');
  });
});

describe('worker-core: yielding', () => {
  it('lets a stop in between slices of a long run', async () => {
    const w = setup();
    await w.send({
      type: 'train',
      project: xor({ training: { epochs: 100_000, batchSize: 16, seed: 1 } }),
    });
    await tick();
    await w.send({ type: 'stop' });
    await w.core.runDone();
    expect(w.states()).toEqual(['running', 'stopped']);
  });
});
