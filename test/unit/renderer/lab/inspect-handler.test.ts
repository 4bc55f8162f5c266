import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../../core/graph/schema';
import type {
  InspectRequest,
  InspectResult,
  ViewQuery,
} from '../../../../renderer/lab/inspect-types';
import type { FromWorker, ToWorker } from '../../../../renderer/worker/protocol';
import { createWorkerCore } from '../../../../renderer/worker/worker-core';
import { toWireTensors } from '../../../../renderer/worker/wire';
import { factorSource, factorSymbol } from '../../../../renderer/lab/views/jacobian-labels';
import { makeProject, mlp } from '../../../helpers/project';
import { nodeWorkerDeps, until } from '../helpers/in-process-worker';

/** The product as the view writes it: the factors of the first path, last first. */
function factors(
  n: NonNullable<Extract<InspectResult, { view: 'jacobian' }>['network']>,
  info: Parameters<typeof factorSymbol>[1],
): string {
  return n.paths[0].factors
    .slice()
    .reverse()
    .map((i) => factorSymbol(n.factors[i], info))
    .join(' · ');
}

const pluginDir = fileURLToPath(new URL('../../../../plugins/', import.meta.url));
const plugin = (name: string) => ({
  file: `app:${name}`,
  source: readFileSync(pluginDir + name, 'utf8'),
});

function setup(over: Parameters<typeof nodeWorkerDeps>[1] = {}) {
  const out: FromWorker[] = [];
  const core = createWorkerCore(nodeWorkerDeps((m) => out.push(m), over));
  const inspections = () =>
    out.filter((m): m is Extract<FromWorker, { type: 'inspection' }> => m.type === 'inspection');
  return { core, out, inspections, send: (m: ToWorker) => core.handle(m) };
}

const xor = (over: Partial<ProjectInput> = {}) =>
  makeProject(mlp(1, 4), { data: { source: 'builtin:xor', samples: 80 }, ...over });

function request(query: ViewQuery, project = xor()): InspectRequest {
  return { query, project, weights: { from: 'initial' } };
}

async function ask<V extends InspectResult['view']>(
  w: ReturnType<typeof setup>,
  query: ViewQuery & { view: V },
  project?: ProjectInput,
): Promise<Extract<InspectResult, { view: V }>> {
  const seq = w.inspections().length + 100;
  await w.send({ type: 'inspect', seq, request: request(query, project) });
  const m = w.inspections().find((i) => i.seq === seq);
  if (!m?.result) throw new Error(m?.error?.message ?? 'no answer');
  expect(m.result.view).toBe(query.view);
  return m.result as Extract<InspectResult, { view: V }>;
}

describe('inspect handler: one answer per view', () => {
  it('decision boundary: a grid over the data with train and test points', async () => {
    const w = setup();
    const r = await ask(w, { view: 'boundary', grid: 24 });
    expect(r).toMatchObject({ kind: 'probability', nx: 24, ny: 24, weights: 'initial', epoch: 0 });
    expect(r.values).toHaveLength(24 * 24);
    expect(r.train.xy.length).toBe(2 * r.train.label.length);
    expect(r.train.total + r.test.total).toBe(80);
    for (let i = 0; i < r.train.label.length; i++) {
      const [px, py] = [r.train.xy[2 * i], r.train.xy[2 * i + 1]];
      expect(px).toBeGreaterThan(r.x0);
      expect(px).toBeLessThan(r.x1);
      expect(py).toBeGreaterThan(r.y0);
      expect(py).toBeLessThan(r.y1);
    }
    expect(r.nodes.map((n) => [n.id, n.k])).toEqual([
      ['x', 0],
      ['fc1', 1],
      ['h1', 1],
      ['out', 2],
      ['y', 2],
    ]);
  });

  it('forward: activations and δ of the first samples, gradient norms, Dense weights', async () => {
    const w = setup();
    const r = await ask(w, { view: 'forward', samples: 6 });
    expect(r.samples).toBe(6);
    const fc1 = r.slices.find((s) => s.id === 'fc1')!;
    expect(fc1.output).toMatchObject({ rows: 6, cols: 4, fullCols: 4 });
    expect(fc1.delta!.data).toHaveLength(24);
    expect(r.gradNorms.map((g) => g.name)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'out.weight',
      'out.bias',
    ]);
    for (const g of r.gradNorms) expect(g.norm).toBeGreaterThan(0);
    expect(r.dense.map((d) => [d.node, d.input, d.out, d.in])).toEqual([
      ['fc1', 'x', 4, 2],
      ['out', 'h1', 1, 4],
    ]);
  });

  it('blame: shares of the picked Dense layer that sum to what it passes back', async () => {
    const w = setup();
    const r = await ask(w, { view: 'blame', node: 'out', sample: 2, samples: 4 });
    expect(r).toMatchObject({ node: 'out', sample: 2, denseNodes: ['fc1', 'out'] });
    const b = r.blame!;
    for (let i = 0; i < b.in; i++) {
      let s = 0;
      for (let j = 0; j < b.out; j++) s += b.shares[j * b.in + i];
      expect(s).toBeCloseTo(b.passed[i], 6);
      expect(b.passed[i]).toBeCloseTo(b.deltaIn![i], 6);
    }
  });

  it('jacobian: ∂ŷ/∂x by default, as the product of the layers’ factors, checked', async () => {
    const w = setup();
    const r = await ask(w, { view: 'jacobian', sample: 1 });
    expect(r).toMatchObject({ from: 'x', to: 'y', sample: 1, refusal: null });
    const n = r.network!;
    expect(n.factors.map((f) => `${f.input}→${f.node}:${f.kind}`)).toEqual([
      'x→fc1:linear',
      'fc1→h1:diagonal',
      'h1→out:linear',
      'out→y:diagonal',
    ]);
    expect(n.product).toMatchObject({ rows: 1, cols: 2, fullRows: 1, fullCols: 2 });
    expect(n.check.ok).toBe(true);
    expect(n.pairs).toHaveLength(10);
    expect(n.pairs.every((p) => p.check.ok)).toBe(true);
  });

  it('jacobian: a pair off the path gets its reason; the one-node form still works', async () => {
    const w = setup();
    const off = await ask(w, { view: 'jacobian', from: 'y', to: 'fc1', sample: 0 });
    expect(off.network).toBeNull();
    expect(off.refusal).toMatch(/'fc1' comes before 'y'/);
    const old = await ask(w, { view: 'jacobian', node: 'h1', sample: 1, withDense: true });
    expect(old).toMatchObject({ from: 'x', to: 'h1' });
    expect(old.network!.factors.map((f) => f.node)).toEqual(['fc1', 'h1']);
  });

  it('jacobian: a wide Jacobian is cut to 64×64 for the message, with the whole one’s norm', async () => {
    const w = setup();
    const wide = makeProject(mlp(1, 100), { data: { source: 'builtin:xor', samples: 80 } });
    const r = await ask(w, { view: 'jacobian', from: 'fc1', to: 'h1', sample: 0 }, wide);
    const [f] = r.network!.factors;
    expect(f.matrix).toMatchObject({ rows: 64, cols: 64, fullRows: 100, fullCols: 100 });
    expect(f.matrix.data).toHaveLength(64 * 64);
    // The diagonal of the cut block is the diagonal of the whole one.
    expect(f.matrix.data[65]).not.toBe(0);
    let sq = 0;
    for (const v of f.matrix.data) sq += v * v;
    expect(f.matrix.norm).toBeGreaterThan(Math.sqrt(sq));
    expect(r.network!.check.ok).toBe(true);
  });

  it('jacobian: a plugin’s factor comes from its own backward, and the view says so', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js')] });
    const project = makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'fc1', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
        { id: 'wk', type: 'Wacky', inputs: ['fc1'] },
        { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['wk'] },
        { id: 'y', type: 'Sigmoid', inputs: ['out'] },
      ],
      { data: { source: 'builtin:xor', samples: 80 }, plugins: ['./wacky.js'] },
    );
    const r = await ask(w, { view: 'jacobian', sample: 0 }, project);
    const n = r.network!;
    expect(n.check.ok).toBe(true);
    expect(n.pairs.every((p) => p.check.ok)).toBe(true);
    const f = n.factors.find((q) => q.node === 'wk')!;
    const info = (id: string) => r.nodes.find((q) => q.id === id);
    expect(factorSource(f, info)).toBe("wk (Wacky): the plugin's own backward on unit vectors");
    expect(factorSymbol(f, info)).toBe('diag(∂h⁽¹⁾/∂h̃⁽¹⁾)');
    expect(factors(n, info)).toBe('diag(σ′(ỹ)) · W⁽²⁾ · diag(∂h⁽¹⁾/∂h̃⁽¹⁾) · W⁽¹⁾');
  });

  it('memory: a measured step whose numbers follow the frozen flag', async () => {
    const w = setup();
    const base = await ask(w, { view: 'memory', batch: 8 });
    const frozen = await ask(
      w,
      { view: 'memory', batch: 8 },
      makeProject(mlp(1, 4, { fc1: { frozen: true } }), { data: { source: 'builtin:xor' } }),
    );
    expect(base.report.nodes.fc1.savedBytes).toBe(8 * 2 * 4);
    expect(frozen.report.nodes.fc1.savedBytes).toBe(0);
    expect(frozen.nodes.find((n) => n.id === 'fc1')!.frozen).toBe(true);
    // Beside it, the same network without the flag, measured too.
    expect(base.plain).toBeNull();
    expect(frozen.plain?.nodes.fc1.savedBytes).toBe(8 * 2 * 4);
    expect(frozen.plain?.peakSavedBytes).toBe(base.report.peakSavedBytes);
  });

  it('memory: says what each tensor is and is for, shows segments, and takes a batch past the data', async () => {
    const w = setup();
    const one = await ask(
      w,
      { view: 'memory', batch: 200 },
      makeProject(mlp(1, 4, { h1: { memory: 'recompute' } }), {
        data: { source: 'builtin:xor', samples: 80 },
      }),
    );
    // 80 samples, 64 of them for training: a batch of 200 takes them again.
    expect([one.batch, one.trainSamples]).toEqual([200, 64]);
    expect(one.segments).toEqual([['h1']]);
    const held = one.report.held!;
    expect(held.find((h) => h.node === 'fc1')).toMatchObject({
      op: 'linear',
      tensor: 'x',
      role: 'input',
      for: ['fc1.weight'],
      shape: [200, 2],
      bytes: 200 * 2 * 4,
    });
    // The one-node segment keeps what enters it (fc1's output) …
    expect(held.find((h) => h.node === 'h1' && h.phase === 'forward')).toMatchObject({
      op: 'recompute',
      tensor: 'fc1',
      shape: [200, 4],
    });
    // … and the next Dense keeps h1's output for its weight gradient: more than without it.
    expect(held.find((h) => h.node === 'out')).toMatchObject({ tensor: 'h1', for: ['out.weight'] });
    expect(one.plain!.afterForwardBytes).toBeLessThan(one.report.afterForwardBytes);
    expect(one.plain!.held!.find((h) => h.node === 'h1')).toMatchObject({
      op: 'tanh',
      tensor: 'h1',
      role: 'output',
      for: ['fc1'],
      alsoKeptBy: [{ node: 'out', op: 'linear', for: ['out.weight'], phase: 'forward' }],
    });
  });

  it('steps: the whole trace, forward then backward in reverse', async () => {
    const w = setup();
    const r = await ask(w, { view: 'steps', samples: 4 });
    expect(r.order.map((s) => (s.phase === 'loss' ? 'loss' : `${s.phase[0]}:${s.node}`))).toEqual([
      'f:x',
      'f:fc1',
      'f:h1',
      'f:out',
      'f:y',
      'loss',
      'b:y',
      'b:out',
      'b:h1',
      'b:fc1',
      'b:x',
    ]);
    expect(r.byNode.fc1.weightGrads.map((g) => g.name)).toEqual(['weight', 'bias']);
    expect(r.byNode.fc1.weights[0].value).toMatchObject({ rows: 4, cols: 2 });
    expect(r.target).toMatchObject({ rows: 4, cols: 1 });
  });

  it('gradient check: every element of a plugin layer’s gradients', async () => {
    const w = setup();
    await w.send({ type: 'plugins', plugins: [plugin('wacky.js')] });
    const r = await ask(w, { view: 'gradcheck', layer: null });
    expect(r.layers).toEqual([{ type: 'Wacky', file: 'app:wacky.js', hasBackward: true }]);
    expect(r.layer).toBe('Wacky');
    expect(r.ok).toBe(true);
    expect(r.tensors.map((t) => t.name)).toEqual(['x', 'a']);
    for (const t of r.tensors) expect(t.analytic).toHaveLength(t.numeric.length);
  });

  it('answers a project that does not compile with the error', async () => {
    const w = setup();
    await w.send({
      type: 'inspect',
      seq: 1,
      request: request({ view: 'forward', samples: 4 }, xor({ output: 'nope' })),
    });
    expect(w.inspections()[0]).toMatchObject({ seq: 1, error: { code: 'PROJECT_GRAPH' } });
  });
});

describe('inspect handler: weights', () => {
  it('uses weights the UI gives when they fit, and says when they do not', async () => {
    const w = setup();
    const fresh = await ask(w, { view: 'forward', samples: 2 });
    const weight = (r: typeof fresh) => Array.from(r.dense[0].weight);
    const given: [string, { shape: number[]; data: Float32Array }][] = [
      ['fc1.weight', { shape: [4, 2], data: new Float32Array(8).fill(0.25) }],
      ['fc1.bias', { shape: [4], data: new Float32Array(4) }],
      ['out.weight', { shape: [1, 4], data: new Float32Array(4).fill(1) }],
      ['out.bias', { shape: [1], data: new Float32Array(1) }],
    ];
    const seq = 50;
    await w.send({ type: 'holdWeights', key: 'ui:1', tensors: toWireTensors(given) });
    await w.send({ type: 'holdWeights', key: 'ui:2', tensors: toWireTensors(given.slice(0, 2)) });
    await w.send({
      type: 'inspect',
      seq,
      request: {
        ...request({ view: 'forward', samples: 2 }),
        weights: { from: 'given', key: 'ui:1', epoch: 7 },
      },
    });
    const r = w.inspections().find((m) => m.seq === seq)!.result as typeof fresh;
    expect(r).toMatchObject({ weights: 'given', epoch: 7 });
    expect(weight(r)).toEqual(new Array(8).fill(0.25));

    await w.send({
      type: 'inspect',
      seq: 51,
      request: {
        ...request({ view: 'forward', samples: 2 }),
        weights: { from: 'given', key: 'ui:2', epoch: 7 },
      },
    });
    const back = w.inspections().find((m) => m.seq === 51)!.result as typeof fresh;
    expect(back.weights).toBe('initial');
    expect(back.note).toMatch(/network changed/);
    expect(weight(back)).toEqual(weight(fresh));
  });
});

describe('inspect handler: while training', () => {
  it('refreshes a live view from the run’s weights as epochs pass, at a bounded rate', async () => {
    let clock = 0;
    const at: number[] = [];
    const out: FromWorker[] = [];
    // Every reading of the clock moves it on by 5 ms.
    const core = createWorkerCore(
      nodeWorkerDeps(
        (m) => {
          out.push(m);
          if (m.type === 'inspection') at.push(clock);
        },
        { now: () => (clock += 5), progressMs: 0 },
      ),
    );
    const inspections = () => out.filter((m) => m.type === 'inspection');
    const project = xor({
      training: { optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 16, epochs: 60, seed: 3 },
    });
    await core.handle({ type: 'train', project, startPaused: true });
    await core.handle({
      type: 'inspect',
      seq: 9,
      request: { ...request({ view: 'boundary', grid: 16 }, project), weights: { from: 'run' } },
    });
    expect(inspections()).toHaveLength(1);
    // A manual step while paused refreshes at once.
    await core.handle({ type: 'step' });
    await until(() => inspections().length === 2, 'an update after a step');
    await core.handle({ type: 'resume' });
    await core.runDone();
    const lastEpoch = () =>
      (inspections().at(-1) as { result?: { epoch: number } } | undefined)?.result?.epoch;
    // The run's end refreshes the view once more, with the final weights.
    await until(() => lastEpoch() === 60, 'the update at the end of the run');
    const progress = out.filter((m) => m.type === 'progress').length;
    // Leave out the first answer, the one after the step and those forced by the run's end.
    const epochs = inspections().map((m) => (m as { result?: { epoch: number } }).result?.epoch);
    const whileRunning = at.filter((_, i) => i >= 2 && epochs[i] !== 60);
    expect(whileRunning.length).toBeGreaterThan(1);
    expect(whileRunning.length).toBeLessThan(progress);
    for (let i = 1; i < whileRunning.length; i++)
      expect(whileRunning[i] - whileRunning[i - 1]).toBeGreaterThanOrEqual(250);
    const last = inspections().at(-1) as Extract<FromWorker, { type: 'inspection' }>;
    expect(last.result).toMatchObject({ view: 'boundary', weights: 'run', epoch: 60 });
    expect(inspections().every((m) => (m as { seq: number }).seq === 9)).toBe(true);
  });

  it('at a pace, answers after every step, saying where the run is', async () => {
    // Sleeps end at once here: the pace still makes the run report, and the view follow, each step.
    const w = setup({ sleep: () => new Promise<void>((r) => setImmediate(r)) });
    const project = xor({
      training: { optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 16, epochs: 2, seed: 3 },
    });
    await w.send({ type: 'speed', stepsPerSecond: 5 });
    await w.send({ type: 'train', project, startPaused: true });
    await w.send({
      type: 'inspect',
      seq: 4,
      request: { ...request({ view: 'boundary', grid: 8 }, project), weights: { from: 'run' } },
    });
    await w.send({ type: 'resume' });
    await w.core.runDone();
    const last = () => w.inspections().at(-1)?.result?.at;
    await until(() => last()?.epoch === 2 && last()?.batch === 4, 'the last update');
    const progress = w.out.flatMap((m) => (m.type === 'progress' ? [m.progress] : []));
    // 64 training samples in batches of 16: four steps an epoch, eight in all, each reported.
    expect(progress.map((p) => p.steps)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8]);
    expect(progress.every((p) => p.stepsPerSecond === 5)).toBe(true);
    const seen = w.inspections().flatMap((m) => {
      const at = m.result?.at;
      return at ? [`${at.epoch}.${at.batch}`] : [];
    });
    for (const p of progress) expect(seen).toContain(`${p.epoch}.${p.batch + 1}`);
  });

  it('answers the canvas’s neuron maps on their own channel, beside the open Lab view', async () => {
    const w = setup();
    const project = xor({ training: { epochs: 5, batchSize: 16, seed: 2 } });
    const maps = () =>
      w.out.filter(
        (m): m is Extract<FromWorker, { type: 'neuronMaps' }> => m.type === 'neuronMaps',
      );
    await w.send({ type: 'train', project, startPaused: true });
    await w.send({
      type: 'inspect',
      seq: 1,
      request: { ...request({ view: 'forward', samples: 2 }, project), weights: { from: 'run' } },
    });
    await w.send({
      type: 'neuronMaps',
      seq: 7,
      request: {
        ...request({ view: 'neurons', grid: 6, maxUnits: 3 }, project),
        weights: { from: 'run' },
      },
    });
    expect(maps()).toHaveLength(1);
    const first = maps()[0].result!;
    if (first.view !== 'neurons') throw new Error('not maps');
    // mlp(1, 4): x → fc1 (Dense 4) → h1 (Tanh) → out (Dense 1) → y (Sigmoid).
    expect(first.maps.nodes.map((n) => [n.id, n.units, n.shown])).toEqual([
      ['fc1', 4, 3],
      ['h1', 4, 3],
      ['out', 1, 1],
      ['y', 1, 1],
    ]);
    expect(first.maps.nodes[0].values).toHaveLength(3 * 36);
    // A step refreshes both at once, each on its own channel.
    await w.send({ type: 'step' });
    await until(() => maps().length === 2 && w.inspections().length === 2, 'both updates');
    const after = maps()[1].result!;
    expect(after).toMatchObject({ weights: 'run', at: { epoch: 1, batch: 1 } });
    if (after.view !== 'neurons') throw new Error('not maps');
    expect(after.maps.nodes[0].values).not.toEqual(first.maps.nodes[0].values);
    expect(w.inspections().every((m) => m.result?.view === 'forward')).toBe(true);
    await w.send({ type: 'stop' });
    await w.core.runDone();
  });

  it('stops answering when no view is open', async () => {
    let clock = 0;
    const w = setup({ now: () => (clock += 1000) });
    const project = xor({ training: { epochs: 20, batchSize: 16, seed: 1 } });
    await w.send({
      type: 'inspect',
      seq: 1,
      request: { ...request({ view: 'forward', samples: 2 }, project), weights: { from: 'run' } },
    });
    await w.send({ type: 'inspect', seq: 2, request: null });
    await w.send({ type: 'train', project });
    await w.core.runDone();
    expect(w.inspections().map((m) => m.seq)).toEqual([1]);
  });
});
