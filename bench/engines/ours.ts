import { backward } from '../../core/autograd/backward';
import { subset } from '../../core/data/dataset';
import { type CompiledGraph, compileProject } from '../../core/graph/compile';
import { parseProject } from '../../core/graph/parse';
import type { Project } from '../../core/graph/schema';
import { LayerRegistry } from '../../core/layers/registry';
import { LOSSES } from '../../core/losses';
import { Model, type WeightMap } from '../../core/model/model';
import { createOptimizer } from '../../core/optim';
import { Tensor } from '../../core/tensor/tensor';
import { Trainer } from '../../core/train/trainer';
import { Rng } from '../../core/util/rng';
import type { Stepper } from '../measure';
import { type Workload, type WorkloadData, makeProject } from '../workloads';

/** How our engine is driven: the real training loop, or the bare forward/backward/step. */
export type OursMode = 'trainer' | 'bare';

export const OURS_MODES: Record<OursMode, string> = {
  trainer:
    'Trainer.step() over an in-memory Dataset (the real training loop: the fused plan for plain chains of built-in layers, matrix products in WebAssembly SIMD)',
  bare: 'model.forward → loss → zeroGrad → backward → optimizer.step, no Trainer',
};

function compiled(w: Workload): { project: Project; graph: CompiledGraph } {
  const project = parseProject(makeProject(w));
  return { project, graph: compileProject(project, new LayerRegistry()) };
}

/** The weights our engine starts from; the other engines are given a copy of them. */
export function initialWeights(w: Workload): WeightMap {
  const { project, graph } = compiled(w);
  return new Model(graph, project.training.seed).exportWeights();
}

/** Our engine set up to train the workload, through the Trainer or the bare step. */
export function oursStepper(w: Workload, data: WorkloadData, mode: OursMode): Stepper {
  const { project, graph } = compiled(w);
  if (mode === 'trainer') {
    const trainer = new Trainer({
      graph,
      train: data.dataset,
      test: subset(data.dataset, []),
      loss: project.loss.type,
      config: project.training,
    });
    return { step: () => trainer.step().loss, dispose: () => {} };
  }

  const model = new Model(graph, project.training.seed);
  const optimizer = createOptimizer(project.training.optimizer, model.parameters());
  const rng = new Rng(project.training.seed);
  const lossFn = LOSSES[project.loss.type];
  const ds = data.dataset;
  const b = w.batchSize;
  const yShape = ds.numClasses !== undefined ? [b] : [b, ds.yDim];
  let batch = 0;
  return {
    step: () => {
      const at = (batch++ % w.batches) * b;
      const x = new Tensor(ds.x.subarray(at * ds.inDim, (at + b) * ds.inDim), [b, ds.inDim]);
      const y = new Tensor(ds.y.subarray(at * ds.yDim, (at + b) * ds.yDim), yShape);
      const { output } = model.forward(x, { training: true, rng });
      const loss = lossFn(output, y);
      optimizer.zeroGrad();
      backward(loss);
      optimizer.step();
      return loss.data[0];
    },
    dispose: () => {},
  };
}
