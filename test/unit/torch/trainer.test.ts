// The Trainer's own loop against PyTorch: each fixture project as it is stored (inline data,
// batch = all of it, no shuffling, five epochs, no test split) via prepareTraining.
import { describe, expect, it } from 'vitest';
import { expectTrajectory } from './expect-training';
import { type TrainingCase, loadFixture } from './fixtures';
import { trainManually, trainWithTrainer } from './run-steps';
import { FLOAT32_TRAINING, expectNumberClose } from './tolerance';

const cases = [
  ...loadFixture<TrainingCase>('training.json'),
  ...loadFixture<TrainingCase>('dag.json'),
  ...loadFixture<TrainingCase>('memory.json'),
];

describe('Trainer against PyTorch', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = trainWithTrainer(c);
    expect(run.trainer.batchesPerEpoch).toBe(1);
    expect(run.trainer.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expectTrajectory(run, c);
    run.trainer.history.forEach((h, i) =>
      expectNumberClose(h.trainLoss, c.steps[i].loss, FLOAT32_TRAINING, `epoch ${i + 1} loss`),
    );
    // The loop does exactly what the hand-written steps do.
    const manual = trainManually(c);
    expect(run.losses).toEqual(manual.losses);
    expect(run.weights).toEqual(manual.weights);
  });
});
