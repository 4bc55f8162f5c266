import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SpawnWorker, WorkerClient, WorkerEndedError } from '../../../renderer/worker/client';
import { sourceFingerprint } from '../../../renderer/worker/hung-plugins';
import type { FromWorker, ToWorker } from '../../../renderer/worker/protocol';
import { ACTIVITY, Activity } from '../../../core/util/activity';
import { TRAINING_STEP } from '../../../core/train/runner';
import { makeProject, mlp } from '../../helpers/project';
import { inProcessWorker, until } from './helpers/in-process-worker';

/** A worker the test plays: it records what it gets and answers when told to. */
function scripted() {
  const workers: { got: ToWorker[]; send: (m: FromWorker) => void; terminated: boolean }[] = [];
  const spawn: SpawnWorker = (onMessage) => {
    const w = { got: [] as ToWorker[], send: onMessage, terminated: false };
    workers.push(w);
    return {
      post: (m) => void w.got.push(m),
      terminate: () => void (w.terminated = true),
    };
  };
  return { spawn, workers, last: () => workers[workers.length - 1] };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerClient', () => {
  it('matches replies to requests by id and passes every message to subscribers', async () => {
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn });
    const seen: string[] = [];
    c.subscribe((m) => seen.push(m.type));
    const a = c.request({ type: 'compile', id: c.nextId(), project: makeProject(mlp(1, 2)) });
    const b = c.request({ type: 'getWeights', id: c.nextId() });
    s.last().send({
      type: 'weights',
      key: 'worker:1',
      id: 2,
      tensors: [],
      epoch: 0,
      at: { epoch: 0, batch: 0, batchesPerEpoch: 1 },
    });
    s.last().send({
      type: 'compiled',
      id: 1,
      summary: { nodes: {}, warnings: [], nodeWarnings: [], ok: true, weightShapes: {} },
    });
    expect((await a).type).toBe('compiled');
    expect((await b).type).toBe('weights');
    expect(seen).toEqual(['weights', 'compiled']);
    c.dispose();
  });

  it('stop() resolves when the worker confirms the run ended', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn });
    const stopped = c.stop();
    expect(s.last().got).toEqual([{ type: 'stop' }]);
    s.last().send({ type: 'state', state: 'stopped' });
    expect(await stopped).toBe('answered');
    expect(s.workers).toHaveLength(1);
  });

  it('ends a worker that does not stop within a second, starts a new one and sends the plugins again', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn });
    const restarts: string[] = [];
    c.onRestart((r) => restarts.push(r));
    c.setPlugins([{ file: 'app:wacky.js', source: 'x' }]);
    s.last().send({ type: 'plugins', statuses: [] });
    const pending = c.request({ type: 'getWeights', id: c.nextId() });
    const caught = pending.catch((e: unknown) => e);
    const stopped = c.stop();
    await vi.advanceTimersByTimeAsync(599);
    expect(s.workers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await stopped).toBe('terminated');
    expect(s.workers[0].terminated).toBe(true);
    expect(s.workers).toHaveLength(2);
    expect(s.workers[1].got).toEqual([
      { type: 'plugins', plugins: [{ file: 'app:wacky.js', source: 'x' }] },
    ]);
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toContain('did not stop within 600 ms');
    expect(await caught).toBeInstanceOf(WorkerEndedError);
    // The old worker is gone: what it might still say is dropped.
    const seen: FromWorker[] = [];
    c.subscribe((m) => seen.push(m));
    s.workers[0].send({ type: 'state', state: 'stopped' });
    expect(seen).toEqual([]);
  });

  it('marks a plugin file that hangs while loading as broken and loads the others without it', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, pluginTimeoutMs: 5000 });
    const statuses: FromWorker[] = [];
    c.subscribe((m) => m.type === 'plugins' && statuses.push(m));
    const good = { file: 'app:good.js', source: 'g' };
    const stuck = { file: 'user:loop.js', source: 'while (true) {}' };
    c.setPlugins([good, stuck]);
    s.last().send({ type: 'pluginLoading', file: 'app:good.js' });
    await vi.advanceTimersByTimeAsync(3000);
    s.last().send({ type: 'pluginLoading', file: 'user:loop.js' });
    await vi.advanceTimersByTimeAsync(4999);
    expect(s.workers).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.workers).toHaveLength(2);
    expect(s.workers[1].got).toEqual([{ type: 'plugins', plugins: [good] }]);
    s.last().send({ type: 'plugins', statuses: [{ file: 'app:good.js', ok: true, layers: [] }] });
    expect(statuses.at(-1)).toEqual({
      type: 'plugins',
      statuses: [
        { file: 'app:good.js', ok: true, layers: [] },
        {
          file: 'user:loop.js',
          ok: false,
          error: {
            message: expect.stringContaining('did not finish loading within 5 s'),
            phase: 'load',
          },
          layers: [],
        },
      ],
    });
    // A changed file is tried again.
    c.setPlugins([good, { ...stuck, source: 'export default 1' }]);
    expect(s.last().got.at(-1)).toEqual({
      type: 'plugins',
      plugins: [good, { ...stuck, source: 'export default 1' }],
    });
  });

  it('remembers a file that hung while loading at the next start, and tries it again once it changes', async () => {
    vi.useFakeTimers();
    let kept: Record<string, string> = {};
    const memory = {
      load: () => ({ ...kept }),
      save: (f: Record<string, string>) => void (kept = { ...f }),
    };
    const good = { file: 'app:good.js', source: 'g' };
    const stuck = { file: 'user:loop.js', source: 'for (;;) {}' };
    const first = scripted();
    const a = new WorkerClient({ spawn: first.spawn, pluginTimeoutMs: 5000, hungPlugins: memory });
    a.setPlugins([good, stuck]);
    first.last().send({ type: 'pluginLoading', file: 'user:loop.js' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(first.workers).toHaveLength(2);
    expect(kept).toEqual({ 'user:loop.js': sourceFingerprint(stuck.source) });
    a.dispose();

    // The next start: the file is not sent, nothing waits for a time limit, its status says why.
    const second = scripted();
    const b = new WorkerClient({ spawn: second.spawn, pluginTimeoutMs: 5000, hungPlugins: memory });
    const statuses: FromWorker[] = [];
    b.subscribe((m) => m.type === 'plugins' && statuses.push(m));
    b.setPlugins([good, stuck]);
    expect(second.last().got).toEqual([{ type: 'plugins', plugins: [good] }]);
    second
      .last()
      .send({ type: 'plugins', statuses: [{ file: 'app:good.js', ok: true, layers: [] }] });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(second.workers).toHaveLength(1);
    expect(statuses.at(-1)).toMatchObject({
      statuses: [
        { file: 'app:good.js', ok: true },
        {
          file: 'user:loop.js',
          ok: false,
          error: { message: expect.stringContaining('when the app tried it before') },
        },
      ],
    });
    // Edited: tried again, and forgotten.
    const fixed = { ...stuck, source: 'export default []' };
    b.setPlugins([good, fixed]);
    expect(second.last().got.at(-1)).toEqual({ type: 'plugins', plugins: [good, fixed] });
    expect(kept).toEqual({});
    b.dispose();
  });

  it('forgets a remembered file that is gone (removed, or disabled)', () => {
    let kept: Record<string, string> = { 'user:loop.js': sourceFingerprint('x') };
    const memory = {
      load: () => ({ ...kept }),
      save: (f: Record<string, string>) => void (kept = { ...f }),
    };
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, hungPlugins: memory });
    c.setPlugins([]);
    expect(kept).toEqual({});
    c.dispose();
  });

  it('rejects a request that gets no answer and restarts the worker', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, requestTimeoutMs: 2000 });
    const r = c
      .request({ type: 'compile', id: c.nextId(), project: makeProject(mlp(1, 2)) })
      .catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(2000);
    const e = await r;
    expect(e).toBeInstanceOf(WorkerEndedError);
    expect((e as Error).message).toContain('did not answer within 2 s (compile)');
    expect(s.workers).toHaveLength(2);
  });

  it('reports a worker that fails to start as an error message', () => {
    let fail!: (m: string) => void;
    const c = new WorkerClient({
      spawn: (_m, onError) => {
        fail = onError;
        return { post: () => {}, terminate: () => {} };
      },
    });
    const seen: FromWorker[] = [];
    c.subscribe((m) => seen.push(m));
    fail('SyntaxError in training.worker.js');
    expect(seen).toEqual([
      {
        type: 'error',
        error: {
          code: 'OP',
          message: 'the training worker failed: SyntaxError in training.worker.js',
          place: {},
        },
      },
    ]);
  });
});

describe('the watchdog', () => {
  /** A worker whose activity cells the test writes, as the real worker's Activity does. */
  function withActivity(s: ReturnType<typeof scripted>) {
    const activity = new Activity(new SharedArrayBuffer(ACTIVITY.cells * 4), (id, text) =>
      s.last().send({ type: 'activityLabel', id, text }),
    );
    s.last().send({ type: 'activity', cells: activity.cells.buffer as SharedArrayBuffer });
    return activity;
  }

  it('ends a worker stuck in one plugin call past the step limit, naming node, plugin and phase', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    const restarts: string[] = [];
    c.onRestart((r) => restarts.push(r));
    const activity = withActivity(s);
    activity.at(3, 37);
    activity.enter(activity.label(TRAINING_STEP));
    activity.enter(activity.label('node w1 (Wacky from plugin user:loop.js): forward'));
    await vi.advanceTimersByTimeAsync(4800);
    expect(s.workers).toHaveLength(1);
    // Seen within two rounds of the watchdog (200 ms each) past the limit.
    await vi.advanceTimersByTimeAsync(600);
    expect(s.workers).toHaveLength(2);
    expect(s.workers[0].terminated).toBe(true);
    expect(restarts).toEqual([
      'node w1 (Wacky from plugin user:loop.js): forward did not finish within 5 s (during a training step: epoch 3, step 37), so the training worker was ended and started again; the network and its last weights are kept',
    ]);
  });

  it('leaves a worker alone that makes progress, however long the whole run', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    const activity = withActivity(s);
    const step = activity.label(TRAINING_STEP);
    for (let i = 0; i < 60; i++) {
      const prev = activity.enter(step);
      await vi.advanceTimersByTimeAsync(1000);
      activity.leave(prev);
    }
    expect(s.workers).toHaveLength(1);
    c.dispose();
  });

  it('takes a new limit at once', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    c.setStepTimeout(1000);
    const restarts: string[] = [];
    c.onRestart((r) => restarts.push(r));
    const activity = withActivity(s);
    activity.enter(activity.label('checking the network'));
    await vi.advanceTimersByTimeAsync(1400);
    expect(restarts[0]).toMatch(/^checking the network did not finish within 1 s/);
    expect(() => c.setStepTimeout(0)).toThrow(/positive/);
  });

  it('without shared memory: a running worker silent past the limit is ended, with where it was', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    const restarts: string[] = [];
    c.onRestart((r) => restarts.push(r));
    s.last().send({ type: 'activity', cells: new ArrayBuffer(32) });
    s.last().send({ type: 'state', state: 'running' });
    const progress = {
      state: 'running' as const,
      epoch: 2,
      epochs: 9,
      batch: 0,
      batchesPerEpoch: 4,
    };
    s.last().send({
      type: 'progress',
      progress: {
        ...progress,
        loss: 1,
        samplesPerSecond: 1,
        steps: 5,
        recentLosses: [],
        stepsPerSecond: null,
      },
    });
    await vi.advanceTimersByTimeAsync(4900);
    expect(restarts).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(restarts[0]).toMatch(
      /^the training worker sent nothing for 5 s while training \(last heard at epoch 2, step 5\)/,
    );
  });

  it('without shared memory: a Lab view with no answer past the limit ends the worker', async () => {
    vi.useFakeTimers();
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    const restarts: string[] = [];
    c.onRestart((r) => restarts.push(r));
    c.post({ type: 'inspect', seq: 4, request: {} as never });
    await vi.advanceTimersByTimeAsync(3000);
    s.last().send({ type: 'inspection', seq: 4 });
    await vi.advanceTimersByTimeAsync(3000);
    expect(restarts).toEqual([]);
    c.post({ type: 'inspect', seq: 5, request: {} as never });
    await vi.advanceTimersByTimeAsync(5400);
    expect(restarts[0]).toMatch(/^the Lab view did not finish within 5 s/);
  });

  it('gives every new worker the memory budget', async () => {
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    const budget = { bytes: 1024, note: 'test' };
    c.setMemoryBudget(budget);
    expect(s.last().got).toContainEqual({ type: 'budget', budget });
    // Stop goes unanswered: the worker is ended and a new one started.
    expect(await c.stop()).toBe('terminated');
    expect(s.workers).toHaveLength(2);
    expect(s.last().got[0]).toEqual({ type: 'budget', budget });
    c.dispose();
  });

  it('sends a CSV file once, names it only through the project afterwards, and gives it to a restarted worker first', async () => {
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks: null });
    const text = 'a,b,label\n' + '0.5,1.5,1\n'.repeat(1000);
    c.setDataFile('/data/points.csv', text);
    c.setDataFile('/data/old.csv', 'x,y\n1,0\n');
    c.setDataFile('/data/old.csv', null);
    const project = makeProject(mlp(2, 1), {
      data: { source: 'csv:/data/points.csv', target: 'label' },
    });
    c.post({ type: 'train', project });
    c.post({ type: 'train', project });
    const first = s.last().got;
    expect(first.filter((m) => m.type === 'dataFile')).toEqual([
      { type: 'dataFile', key: '/data/points.csv', text },
      { type: 'dataFile', key: '/data/old.csv', text: 'x,y\n1,0\n' },
      { type: 'dataFile', key: '/data/old.csv', text: null },
    ]);
    // The train messages carry no CSV text: each is the project and nothing more.
    for (const m of first.filter((m) => m.type === 'train'))
      expect(JSON.stringify(m)).not.toContain('0.5,1.5,1');
    // Stop goes unanswered: the worker is ended, and the new one holds the file before anything.
    expect(await c.stop()).toBe('terminated');
    expect(s.workers).toHaveLength(2);
    expect(s.last().got).toEqual([{ type: 'dataFile', key: '/data/points.csv', text }]);
    c.dispose();
  });

  it('notices a dead worker at once through its Web Lock, and only a worker it did not end itself', async () => {
    const granted = new Map<string, () => void>();
    const locks = {
      request: async (name: string, cb: () => void) => void granted.set(name, cb),
    };
    const s = scripted();
    const c = new WorkerClient({ spawn: s.spawn, locks });
    const restarts: string[] = [];
    c.onRestart((r) => restarts.push(r));
    s.last().send({ type: 'alive', lock: 'lock-1' });
    granted.get('lock-1')!(); // the worker is gone
    expect(restarts).toEqual([
      'the training worker stopped unexpectedly (it may have run out of memory), so a new one was started; the network and its last weights are kept',
    ]);
    expect(s.workers).toHaveLength(2);
    // The client ends the second worker itself: its lock's release says nothing.
    s.last().send({ type: 'alive', lock: 'lock-2' });
    c.dispose();
    granted.get('lock-2')!();
    expect(restarts).toHaveLength(1);
  });
});

describe('WorkerClient over the real worker code', () => {
  const wacky = readFileSync(
    fileURLToPath(new URL('../../../plugins/wacky.js', import.meta.url)),
    'utf8',
  );

  it('trains twice on a CSV file sent once, and again after the worker was restarted', async () => {
    const w = inProcessWorker();
    const c = new WorkerClient({ spawn: w.spawn, locks: null });
    const states: string[] = [];
    c.subscribe((m) => m.type === 'state' && states.push(m.state));
    await until(() => w.started === 1);
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 2},${(i >> 1) % 2},${i % 2}`);
    c.setDataFile('my.csv', ['a,b,label', ...rows].join('\n'));
    const project = makeProject(mlp(2, 1), {
      data: { source: 'csv:my.csv', target: 'label', testFraction: 0 },
      loss: { type: 'MSE' },
      training: { epochs: 2, batchSize: 8, seed: 1 },
    });
    const trainOnce = async (n: number) => {
      c.post({ type: 'train', project });
      await until(() => states.filter((s) => s === 'finished').length === n, `run ${n}`);
    };
    await trainOnce(1);
    await trainOnce(2);
    // A stop nobody answers in time ends the worker; the new one gets the file again.
    c.post({
      type: 'train',
      project: { ...project, training: { ...project.training, epochs: 1e9 } },
    });
    await until(() => states.at(-1) === 'running', 'the long run');
    w.hang();
    expect(await c.stop()).toBe('terminated');
    await until(() => w.started === 2);
    await trainOnce(3);
    expect(states.filter((s) => s === 'failed')).toEqual([]);
    c.dispose();
  });

  it('stops a run of a network with a plugin layer, confirmed by the worker', async () => {
    const w = inProcessWorker();
    const c = new WorkerClient({ spawn: w.spawn });
    c.setPlugins([{ file: 'app:wacky.js', source: wacky }]);
    const states: string[] = [];
    c.subscribe((m) => m.type === 'state' && states.push(m.state));
    await until(() => w.started === 1);
    c.post({
      type: 'train',
      project: makeProject(mlp(1, 4, { h1: { type: 'Wacky' } }), {
        training: { epochs: 1_000_000, batchSize: 16, seed: 1 },
      }),
    });
    await until(() => states.includes('running'), 'the run');
    expect(await c.stop()).toBe('answered');
    expect(states.at(-1)).toBe('stopped');
    c.dispose();
  });
});
