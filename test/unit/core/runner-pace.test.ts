// A paced run: one step every 1/speed seconds on the host's clock, each reported, with pause,
// stop and a new speed cutting the wait short. The clock here is a fake that the sleeps move.
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { type Progress, TrainingRunner } from '../../../core/train/runner';
import { makeProject, mlp, nodeHost } from '../../helpers/project';

const tick = () => new Promise<void>((r) => setImmediate(r));

function trainer(epochs = 50) {
  const project = parseProject(
    makeProject(mlp(1, 4), {
      training: {
        optimizer: { type: 'sgd', lr: 0.5 },
        batchSize: 16,
        epochs,
        seed: 1,
        shuffle: true,
      },
    }),
  );
  return prepareTraining(project, { host: nodeHost }).trainer;
}

/** A clock that moves only when the runner sleeps; sleeps wait for release(). */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  let pending: (() => void) | null = null;
  return {
    now: () => t,
    sleeps,
    sleep(ms: number) {
      sleeps.push(ms);
      return new Promise<void>((resolve) => {
        pending = () => {
          t += ms;
          resolve();
        };
      });
    },
    /** Let the current sleep run out. */
    release() {
      const p = pending;
      pending = null;
      p?.();
    },
    get sleeping() {
      return pending !== null;
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await tick();
}

describe('TrainingRunner at a pace', () => {
  it('trains one step per 1/speed seconds and reports every step', async () => {
    const clock = fakeClock();
    const progress: Progress[] = [];
    const r = new TrainingRunner(
      trainer(),
      { onProgress: (p) => progress.push(p) },
      { yieldToHost: tick, now: clock.now, sleep: clock.sleep, stepsPerSecond: 2 },
    );
    const done = r.run();
    await settle();
    // One step at once, then a wait of half a second before the next.
    expect(progress.map((p) => p.steps)).toEqual([1]);
    expect(progress[0]).toMatchObject({ stepsPerSecond: 2, state: 'running', batch: 0 });
    expect(clock.sleeps).toEqual([500]);
    for (let i = 2; i <= 4; i++) {
      clock.release();
      await settle();
      expect(progress.map((p) => p.steps)).toEqual(Array.from({ length: i }, (_, k) => k + 1));
    }
    expect(clock.sleeps).toEqual([500, 500, 500, 500]);
    r.stop();
    expect(await done).toBe('stopped');
  });

  it('a pause during the wait holds the run at once; resume goes on at the same pace', async () => {
    const clock = fakeClock();
    const progress: Progress[] = [];
    const r = new TrainingRunner(
      trainer(),
      { onProgress: (p) => progress.push(p) },
      { yieldToHost: tick, now: clock.now, sleep: clock.sleep, stepsPerSecond: 1 },
    );
    const done = r.run();
    await settle();
    expect(clock.sleeping).toBe(true);
    r.pause();
    await settle();
    expect(r.state).toBe('paused');
    // The sleep that was cut short runs out later: it trains nothing.
    clock.release();
    await settle();
    expect(progress.map((p) => p.steps)).toEqual([1]);
    r.step();
    await settle();
    expect(progress.map((p) => [p.steps, p.state])).toEqual([
      [1, 'running'],
      [2, 'paused'],
    ]);
    r.resume();
    await settle();
    expect(progress.at(-1)).toMatchObject({ steps: 3, state: 'running' });
    expect(clock.sleeping).toBe(true);
    r.stop();
    expect(await done).toBe('stopped');
    expect(progress.at(-1)!.steps).toBe(3);
  });

  it('a new speed applies from the next step; null is full speed again', async () => {
    const clock = fakeClock();
    const progress: Progress[] = [];
    const t = trainer(3);
    const r = new TrainingRunner(
      t,
      { onProgress: (p) => progress.push(p) },
      { yieldToHost: tick, now: clock.now, sleep: clock.sleep, stepsPerSecond: 1, progressMs: 1e9 },
    );
    const done = r.run();
    await settle();
    r.setSpeed(10);
    await settle();
    expect(clock.sleeps).toEqual([1000, 100]);
    expect(progress.at(-1)).toMatchObject({ steps: 2, stepsPerSecond: 10 });
    r.setSpeed(null);
    expect(await done).toBe('finished');
    expect(r.stepsPerSecond).toBeNull();
    // Full speed: no more waits, and reports only at its usual interval (here: at the end).
    expect(clock.sleeps).toEqual([1000, 100]);
    expect(progress.at(-1)).toMatchObject({
      steps: 3 * t.batchesPerEpoch,
      stepsPerSecond: null,
      state: 'finished',
    });
  });

  it('refuses a speed it cannot keep, naming the range', () => {
    const r = new TrainingRunner(trainer(), {}, { yieldToHost: tick });
    expect(() => r.setSpeed(0)).toThrow(/between 0\.1 and 1000 steps a second/);
    expect(() => r.setSpeed(Number.NaN)).toThrow(/got NaN/);
    expect(r.stepsPerSecond).toBeNull();
    r.setSpeed(Infinity);
    expect(r.stepsPerSecond).toBeNull();
  });

  it('refuses a pace without a timer to wait by (core has none of its own)', () => {
    const r = new TrainingRunner(trainer(), {}, { yieldToHost: tick });
    expect(() => r.setSpeed(2)).toThrow(/a paced run needs a sleep function/);
    expect(r.stepsPerSecond).toBeNull();
    expect(
      () => new TrainingRunner(trainer(), {}, { yieldToHost: tick, stepsPerSecond: 2 }),
    ).toThrow(/a paced run needs a sleep function/);
  });
});

describe('Trainer.position', () => {
  it('is the one counter: epoch of the last batch and its batches done', () => {
    const t = trainer(3);
    const B = t.batchesPerEpoch;
    expect(t.position).toEqual({ epoch: 0, batch: 0, batchesPerEpoch: B });
    t.step();
    expect(t.position).toEqual({ epoch: 1, batch: 1, batchesPerEpoch: B });
    for (let i = 1; i < B; i++) t.step();
    expect(t.position).toEqual({ epoch: 1, batch: B, batchesPerEpoch: B });
    const r = t.step();
    // The step's own report says the same: epoch 2, its first batch (0-based index 0).
    expect([r.epoch, r.batch + 1]).toEqual([2, 1]);
    expect(t.position).toEqual({ epoch: 2, batch: 1, batchesPerEpoch: B });
  });
});
