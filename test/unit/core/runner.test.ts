import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { type Progress, type RunState, TrainingRunner } from '../../../core/train/runner';
import { makeProject, mlp, nodeHost } from '../../helpers/project';

const tick = () => new Promise<void>((r) => setImmediate(r));

function setup(epochs = 3, lr = 0.5) {
  const project = parseProject(
    makeProject(mlp(1, 4), {
      training: { optimizer: { type: 'sgd', lr }, batchSize: 16, epochs, seed: 1, shuffle: true },
    }),
  );
  return prepareTraining(project, { host: nodeHost }).trainer;
}

describe('TrainingRunner', () => {
  it('runs to the end, reporting epochs and progress', async () => {
    const trainer = setup(3);
    const epochs: number[] = [];
    const states: RunState[] = [];
    const progress: Progress[] = [];
    const r = new TrainingRunner(
      trainer,
      {
        onEpoch: (e) => epochs.push(e.epoch),
        onState: (s) => states.push(s),
        onProgress: (p) => progress.push(p),
      },
      { yieldToHost: tick, sliceMs: 1, progressMs: 0 },
    );
    expect(await r.run()).toBe('finished');
    expect(epochs).toEqual([1, 2, 3]);
    expect(states).toEqual(['running', 'finished']);
    expect(progress.at(-1)).toMatchObject({
      state: 'finished',
      epoch: 3,
      epochs: 3,
      steps: 3 * trainer.batchesPerEpoch,
    });
  });

  it('sends the losses of the batches since the previous report with each report', async () => {
    const trainer = setup(3);
    const progress: Progress[] = [];
    const losses: number[] = [];
    const step = trainer.step.bind(trainer);
    trainer.step = () => {
      const r = step();
      losses.push(r.loss);
      return r;
    };
    const r = new TrainingRunner(
      trainer,
      { onProgress: (p) => progress.push(p) },
      { yieldToHost: tick, sliceMs: 1, progressMs: 0 },
    );
    await r.run();
    // Few batches per report here: each report carries all of them, and together every batch.
    expect(progress.flatMap((p) => p.recentLosses)).toEqual(losses);
    for (const p of progress.filter((x) => x.recentLosses.length))
      expect(p.recentLosses.at(-1)).toBe(p.loss);
  });

  it('pauses, steps one batch at a time, resumes and stops', async () => {
    const trainer = setup(50);
    const progress: Progress[] = [];
    const r = new TrainingRunner(
      trainer,
      { onProgress: (p) => progress.push(p) },
      { yieldToHost: tick, sliceMs: 1 },
    );
    const done = r.run(true);
    await tick();
    expect(r.state).toBe('paused');
    expect(progress).toHaveLength(0);
    r.step();
    await tick();
    r.step();
    await tick();
    expect(progress.map((p) => p.steps)).toEqual([1, 2]);
    expect(progress[1]).toMatchObject({ state: 'paused', epoch: 1, batch: 1 });
    r.resume();
    await tick();
    await tick();
    expect(r.state).toBe('running');
    r.stop();
    expect(await done).toBe('stopped');
    expect(trainer.finished).toBe(false);
  });

  it('a diverging run fails with a message naming where, and keeps finite weights', async () => {
    const project = parseProject(
      makeProject(
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
          { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['fc1'] },
        ],
        {
          loss: { type: 'MSE' },
          data: {
            x: [
              [1, 2],
              [3, 4],
              [5, 6],
            ],
            y: [[10], [20], [30]],
          },
          training: {
            optimizer: { type: 'sgd', lr: 5 },
            batchSize: 3,
            epochs: 1000,
            seed: 0,
            shuffle: false,
          },
        },
      ),
    );
    const trainer = prepareTraining(project, { host: nodeHost }).trainer;
    let failure: string | undefined;
    const r = new TrainingRunner(
      trainer,
      { onState: (s, e) => s === 'failed' && (failure = e?.message) },
      { yieldToHost: tick },
    );
    expect(await r.run()).toBe('failed');
    expect(r.error?.code).toBe('NON_FINITE');
    expect(failure).toMatch(/Training diverged at epoch \d+, batch \d+ \(step \d+\): /);
    // The weights are the last good ones: all finite.
    for (const w of trainer.model.weights.values())
      expect(w.data.every(Number.isFinite)).toBe(true);
  });
});

describe('TrainingRunner reports where the run is when it pauses or stops', () => {
  it('sends the batches trained since the last report', async () => {
    const trainer = setup(1000);
    const progress: Progress[] = [];
    // progressMs huge: no regular report during the run, only the ones pause and stop owe.
    const r = new TrainingRunner(
      trainer,
      { onProgress: (p) => progress.push(p) },
      { yieldToHost: tick, sliceMs: 1, progressMs: 1e9 },
    );
    const done = r.run();
    for (let i = 0; i < 5; i++) await tick();
    r.pause();
    for (let i = 0; i < 3; i++) await tick();
    expect(progress.at(-1)).toMatchObject({ state: 'paused' });
    const atPause = progress.at(-1)!.steps;
    expect(atPause).toBeGreaterThan(0);
    r.resume();
    for (let i = 0; i < 5; i++) await tick();
    r.stop();
    expect(await done).toBe('stopped');
    const last = progress.at(-1)!;
    expect(last.steps).toBeGreaterThan(atPause);
  });
});
