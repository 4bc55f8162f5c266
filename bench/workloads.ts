import type { Dataset } from '../core/data/dataset';
import type { ProjectInput } from '../core/graph/schema';
import { Rng } from '../core/util/rng';

/**
 * One training benchmark: the network, the loss, the batch and the optimizer that every engine
 * trains, and how long each one is timed.
 */
export interface Workload {
  id: string;
  title: string;
  /** Layer widths, input first: [784, 256, 128, 10] is three dense layers. */
  widths: number[];
  activation: 'ReLU' | 'Sigmoid';
  /** Apply the activation after the last dense layer too (otherwise it outputs logits). */
  activateOutput: boolean;
  loss: 'CrossEntropy' | 'MSE';
  batchSize: number;
  lr: number;
  /** Batches in the data set; the engines cycle through them in the same order. */
  batches: number;
  seed: number;
  /** Untimed steps before measuring; every engine runs exactly this many. */
  warmupSteps: number;
  /** Timed windows per engine; the median one is reported. */
  repeats: number;
  /** A window lasts at least this many seconds and at least `minSteps` steps. */
  minSeconds: number;
  minSteps: number;
}

export const MLP: Workload = {
  id: 'mlp',
  title: 'MLP 784-256-128-10 ReLU, CE, batch 128',
  widths: [784, 256, 128, 10],
  activation: 'ReLU',
  activateOutput: false,
  loss: 'CrossEntropy',
  batchSize: 128,
  lr: 0.01,
  batches: 8,
  seed: 1234,
  warmupSteps: 20,
  repeats: 5,
  minSeconds: 3,
  minSteps: 5,
};

export const SMALL: Workload = {
  id: 'small',
  title: 'Net 2-16-16-1 Sigmoid, MSE, batch 10',
  widths: [2, 16, 16, 1],
  activation: 'Sigmoid',
  activateOutput: true,
  loss: 'MSE',
  batchSize: 10,
  lr: 0.1,
  batches: 10,
  seed: 4321,
  warmupSteps: 200,
  repeats: 5,
  minSeconds: 1.5,
  minSteps: 100,
};

export const WORKLOADS: readonly Workload[] = [MLP, SMALL];

/** The training data of a workload, as a core Dataset plus one-hot targets for tfjs. */
export interface WorkloadData {
  dataset: Dataset;
  /** [n, classes] one-hot rows for CrossEntropy, else the same values as dataset.y. */
  targets: Float32Array;
  targetDim: number;
}

/**
 * Random inputs and targets from a fixed seed: pixel-like values in [0, 1) and uniform class
 * labels for CrossEntropy; inputs in [-1, 1) and targets in [0, 1) for MSE.
 */
export function makeData(w: Workload): WorkloadData {
  const rng = new Rng(w.seed);
  const inDim = w.widths[0];
  const outDim = w.widths[w.widths.length - 1];
  const n = w.batches * w.batchSize;
  const x = new Float32Array(n * inDim);
  const classes = w.loss === 'CrossEntropy';
  for (let i = 0; i < x.length; i++) x[i] = classes ? rng.uniform() : rng.range(-1, 1);
  const yDim = classes ? 1 : outDim;
  const y = new Float32Array(n * yDim);
  for (let i = 0; i < y.length; i++) y[i] = classes ? rng.int(outDim) : rng.uniform();
  const dataset: Dataset = {
    name: `bench:${w.id}`,
    n,
    inDim,
    yDim,
    x,
    y,
    featureNames: Array.from({ length: inDim }, (_, i) => `x${i}`),
    targetNames: classes ? ['class'] : Array.from({ length: outDim }, (_, i) => `y${i}`),
    ...(classes
      ? { numClasses: outDim, classNames: Array.from({ length: outDim }, (_, i) => String(i)) }
      : {}),
  };
  if (!classes) return { dataset, targets: y, targetDim: yDim };
  const oneHot = new Float32Array(n * outDim);
  for (let i = 0; i < n; i++) oneHot[i * outDim + y[i]] = 1;
  return { dataset, targets: oneHot, targetDim: outDim };
}

/**
 * The workload as a Backprop Lab project. The data field holds one placeholder sample only
 * because the format requires data; the benchmark hands the trainer `makeData(w)` in memory.
 */
export function makeProject(w: Workload): ProjectInput {
  const nodes: ProjectInput['nodes'] = [
    { id: 'x', type: 'Input', params: { shape: [w.widths[0]] } },
  ];
  let prev = 'x';
  for (let l = 1; l < w.widths.length; l++) {
    const fc = `fc${l}`;
    nodes.push({ id: fc, type: 'Dense', params: { units: w.widths[l] }, inputs: [prev] });
    prev = fc;
    if (l < w.widths.length - 1 || w.activateOutput) {
      const act = `a${l}`;
      nodes.push({ id: act, type: w.activation, inputs: [prev] });
      prev = act;
    }
  }
  const outDim = w.widths[w.widths.length - 1];
  return {
    format: 'backprop-lab.project',
    version: 1,
    name: w.title,
    nodes,
    output: prev,
    loss: { type: w.loss },
    data: {
      x: [new Array<number>(w.widths[0]).fill(0)],
      y: [w.loss === 'CrossEntropy' ? [0] : new Array<number>(outDim).fill(0)],
    },
    training: {
      optimizer: { type: 'sgd', lr: w.lr, momentum: 0, weightDecay: 0 },
      batchSize: w.batchSize,
      epochs: 1_000_000_000,
      seed: w.seed,
      // Unshuffled, so that every engine sees the same batches in the same order.
      shuffle: false,
    },
  };
}
