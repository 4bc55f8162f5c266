import type { ProjectInput } from '../core/graph/schema';

/** The network of the plugin-layer benchmark: two plugin layers between Dense layers. */
export interface PluginWorkload {
  title: string;
  inputs: number;
  hidden: number;
  batchSize: number;
  batches: number;
  seed: number;
  warmupSteps: number;
}

export const PLUGIN_WORKLOAD: PluginWorkload = {
  title: 'Net 32-64-Wacky-64-Swish-1, BCE, batch 32',
  inputs: 32,
  hidden: 64,
  batchSize: 32,
  batches: 8,
  seed: 7,
  warmupSteps: 300,
};

export function pluginProject(w: PluginWorkload): ProjectInput {
  return {
    format: 'backprop-lab.project',
    version: 1,
    name: w.title,
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [w.inputs] } },
      { id: 'fc1', type: 'Dense', params: { units: w.hidden }, inputs: ['x'] },
      { id: 'w1', type: 'Wacky', inputs: ['fc1'] },
      { id: 'fc2', type: 'Dense', params: { units: w.hidden }, inputs: ['w1'] },
      { id: 's2', type: 'Swish', inputs: ['fc2'] },
      { id: 'fc3', type: 'Dense', params: { units: 1 }, inputs: ['s2'] },
      { id: 'y', type: 'Sigmoid', inputs: ['fc3'] },
    ],
    output: 'y',
    loss: { type: 'BCE' },
    // A placeholder: the benchmark hands the trainer its own data in memory.
    data: { x: [new Array<number>(w.inputs).fill(0)], y: [[0]] },
    training: {
      optimizer: { type: 'sgd', lr: 0.1 },
      batchSize: w.batchSize,
      epochs: 1_000_000,
      seed: w.seed,
      shuffle: false,
    },
  };
}
