// Running a training fixture through our engine: by hand (model, loss, optimizer) and through
// the Trainer, starting from torch's initial weights.
import { backward } from '../../../core/autograd/backward';
import type { DataHost } from '../../../core/data/resolve';
import { compileProject } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import type { Project } from '../../../core/graph/schema';
import { LayerRegistry } from '../../../core/layers/registry';
import { LOSSES } from '../../../core/losses';
import { Model, type WeightMap } from '../../../core/model/model';
import { createOptimizer } from '../../../core/optim';
import { prepareTraining } from '../../../core/project/prepare';
import type { Tensor } from '../../../core/tensor/tensor';
import type { Trainer } from '../../../core/train/trainer';
import { Rng } from '../../../core/util/rng';
import { type TrainingCase, toTensor, toWeightMap } from './fixtures';

export interface Trajectory {
  /** Loss before each step. */
  losses: number[];
  /** Every weight after each step. */
  weights: WeightMap[];
}

export interface ManualRun extends Trajectory {
  model: Model;
  /** Network output at the initial weights. */
  output0: Tensor;
  /** `.grad` of every weight after the first backward (null where none arrived). */
  grads0: Map<string, Tensor | null>;
}

export function projectOf(c: TrainingCase): Project {
  return parseProject(c.project);
}

/** A model of the case's network holding torch's initial weights. */
export function modelOf(c: TrainingCase): Model {
  const model = new Model(compileProject(projectOf(c), new LayerRegistry()), 0);
  model.importWeights(toWeightMap(c.initial));
  return model;
}

/** The five steps written out: forward, loss, zeroGrad, backward, step. */
export function trainManually(c: TrainingCase): ManualRun {
  const project = projectOf(c);
  const model = modelOf(c);
  const optimizer = createOptimizer(project.training.optimizer, model.parameters());
  const x = toTensor(c.x);
  const y = toTensor(c.y);
  const run: ManualRun = {
    model,
    output0: null!,
    grads0: new Map(),
    losses: [],
    weights: [],
  };
  for (let step = 0; step < c.steps.length; step++) {
    const { output } = model.forward(x, { training: true, rng: new Rng(0) });
    const loss = LOSSES[project.loss.type](output, y);
    optimizer.zeroGrad();
    backward(loss);
    if (step === 0) {
      run.output0 = output;
      for (const [name, w] of model.weights) run.grads0.set(name, w.grad);
    }
    optimizer.step();
    run.losses.push(loss.data[0]);
    run.weights.push(model.exportWeights());
  }
  return run;
}

/** Inline data needs no files; reading one would be a bug in the fixture. */
const noFiles: DataHost = {
  readDataFile: (name) => {
    throw new Error(`the fixture asked for data file ${name}`);
  },
  readUserFile: (path) => {
    throw new Error(`the fixture asked for user file ${path}`);
  },
};

/** The same steps through prepareTraining and the Trainer (one whole-data batch per epoch). */
export function trainWithTrainer(c: TrainingCase): Trajectory & { trainer: Trainer } {
  const { trainer } = prepareTraining(projectOf(c), { host: noFiles });
  trainer.model.importWeights(toWeightMap(c.initial));
  const out = { trainer, losses: [] as number[], weights: [] as WeightMap[] };
  while (!trainer.finished) {
    const r = trainer.step();
    out.losses.push(r.loss);
    out.weights.push(trainer.model.exportWeights());
  }
  return out;
}
