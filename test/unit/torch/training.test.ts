// Five optimizer steps on small networks against PyTorch, for every optimizer setting and loss.
import { describe, expect, it } from 'vitest';
import { type TrainingCase, loadFixture } from './fixtures';
import { expectTrajectory, expectStart } from './expect-training';
import { projectOf, trainManually } from './run-steps';

const cases = loadFixture<TrainingCase>('training.json');

describe('training against PyTorch (five steps, whole batch)', () => {
  it('covers every loss and every optimizer setting', () => {
    const projects = cases.map(projectOf);
    expect(new Set(projects.map((p) => p.loss.type))).toEqual(
      new Set(['BCE', 'BCEWithLogits', 'MSE', 'CrossEntropy']),
    );
    const settings = new Set(
      projects.map(({ training: { optimizer: o } }) =>
        o.type === 'sgd'
          ? `sgd${o.momentum ? '+momentum' : ''}${o.weightDecay ? '+wd' : ''}`
          : `adam${o.weightDecay ? '+wd' : ''}`,
      ),
    );
    expect(settings).toEqual(
      new Set(['sgd', 'sgd+momentum', 'sgd+wd', 'sgd+momentum+wd', 'adam', 'adam+wd']),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = trainManually(c);
    expectStart(run, c);
    expectTrajectory(run, c);
  });
});
