// The Wacky plugin, loaded from plugins/wacky.js through the catalog like the app loads it,
// trained five steps in a network against PyTorch (test/fixtures/torch/plugin.json, written by
// make_fixtures.py with Wacky implemented in torch): same start, same loss, same weights.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backward } from '../../../core/autograd/backward';
import type { DataHost } from '../../../core/data/resolve';
import { parseProject } from '../../../core/graph/parse';
import { LOSSES } from '../../../core/losses';
import type { WeightMap } from '../../../core/model/model';
import { prepareTraining } from '../../../core/project/prepare';
import { Rng } from '../../../core/util/rng';
import { expectStart, expectTrajectory } from '../torch/expect-training';
import { type TrainingCase, loadFixture, toTensor, toWeightMap } from '../torch/fixtures';
import type { ManualRun } from '../torch/run-steps';
import { newCatalog } from './helpers';

const [wacky] = loadFixture<TrainingCase>('plugin.json');
const FIXTURE_DIR = new URL('../../fixtures/torch/', import.meta.url);

const noFiles: DataHost = {
  readDataFile: (name) => {
    throw new Error(`the fixture asked for data file ${name}`);
  },
  readUserFile: (path) => {
    throw new Error(`the fixture asked for user file ${path}`);
  },
};

/** The fixture's project, its plugins loaded from the files it names (relative to the fixture). */
async function prepared(c: TrainingCase) {
  const project = parseProject(c.project);
  const catalog = newCatalog();
  for (const p of project.plugins) {
    const path = fileURLToPath(new URL(p, FIXTURE_DIR));
    const status = await catalog.load(p, readFileSync(path, 'utf8'));
    expect(status.ok, status.error?.message).toBe(true);
    expect(status.layers.every((l) => l.check.ok)).toBe(true);
  }
  const prep = prepareTraining(project, { host: noFiles, registry: catalog.registry() });
  prep.trainer.model.importWeights(toWeightMap(c.initial));
  return { project, ...prep };
}

describe('a network with the Wacky plugin against PyTorch (five steps, whole batch)', () => {
  it('the fixture names plugins/wacky.js and its weight w1.a', () => {
    expect(wacky.project).toMatchObject({ plugins: ['../../../plugins/wacky.js'] });
    expect(wacky.initial['w1.a'].shape).toEqual([6]);
    expect(Object.keys(wacky.grads0)).toContain('w1.a');
  });

  it('written out: output and gradients at the start, then loss and every weight per step', async () => {
    const { project, trainer } = await prepared(wacky);
    const model = trainer.model;
    const x = toTensor(wacky.x);
    const y = toTensor(wacky.y);
    const run: ManualRun = { model, output0: null!, grads0: new Map(), losses: [], weights: [] };
    for (let step = 0; step < wacky.steps.length; step++) {
      const { output } = model.forward(x, { training: true, rng: new Rng(0) });
      const loss = LOSSES[project.loss.type](output, y);
      trainer.optimizer.zeroGrad();
      backward(loss);
      if (step === 0) {
        run.output0 = output;
        for (const [name, w] of model.weights) run.grads0.set(name, w.grad);
      }
      trainer.optimizer.step();
      run.losses.push(loss.data[0]);
      run.weights.push(model.exportWeights());
    }
    expectStart(run, wacky);
    expectTrajectory(run, wacky);
  });

  it('through the Trainer, as the app and the command line train it', async () => {
    const { trainer } = await prepared(wacky);
    const losses: number[] = [];
    const weights: WeightMap[] = [];
    while (!trainer.finished) {
      losses.push(trainer.step().loss);
      weights.push(trainer.model.exportWeights());
    }
    expectTrajectory({ losses, weights }, wacky);
  });
});
