/** Small projects for the training-folder tests: chains and a DAG, each optimizer, dropout. */
import type { ProjectInput } from '../../../core/graph/schema';

type Optimizer = NonNullable<ProjectInput['training']>['optimizer'];

const SGD_MOMENTUM: Optimizer = { type: 'sgd', lr: 0.1, momentum: 0.9 };
const ADAM: Optimizer = { type: 'adam', lr: 0.01 };

/**
 * 2 → 16 tanh → 16 relu → 1 on the moons: 80 training samples in batches of 12, so the last
 * batch of each epoch is short (8).
 */
export function chain(
  name: string,
  o: {
    optimizer: Optimizer;
    shuffle: boolean;
    logits?: boolean;
    epochs?: number;
    normalize?: 'standardize' | 'minmax';
  },
): ProjectInput {
  return {
    format: 'backprop-lab.project',
    version: 1,
    name,
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc1', type: 'Dense', params: { units: 16 }, inputs: ['x'] },
      { id: 'h1', type: 'Tanh', inputs: ['fc1'] },
      { id: 'fc2', type: 'Dense', params: { units: 16 }, inputs: ['h1'] },
      { id: 'h2', type: 'ReLU', inputs: ['fc2'] },
      { id: 'fc3', type: 'Dense', params: { units: 1 }, inputs: ['h2'] },
      ...(o.logits ? [] : [{ id: 'y', type: 'Sigmoid', inputs: ['fc3'] }]),
    ],
    output: o.logits ? 'fc3' : 'y',
    loss: { type: o.logits ? 'BCEWithLogits' : 'BCE' },
    data: {
      source: 'builtin:moons',
      samples: 100,
      noise: 0.2,
      testFraction: 0.2,
      ...(o.normalize ? { normalize: o.normalize } : {}),
    },
    training: {
      optimizer: o.optimizer,
      batchSize: 12,
      epochs: o.epochs ?? 15,
      seed: 11,
      shuffle: o.shuffle,
    },
  };
}

/**
 * Iris through a DAG: two branches from the input (Dense → Tanh, Dense → ReLU) summed by Add,
 * concatenated with the input by Concat, then the logits. Options add dropout after the sum, a
 * frozen Dense in the middle (gradients pass through it) and a detach on the ReLU branch (its
 * Dense gets no gradient).
 */
export function dag(
  name: string,
  o: {
    optimizer: Optimizer;
    shuffle?: boolean;
    dropout?: number;
    frozen?: boolean;
    detach?: boolean;
    batchSize?: number;
    epochs?: number;
    samples?: number;
    normalize?: 'standardize' | 'minmax';
  },
): ProjectInput {
  const merged = o.dropout ? 'drop' : 'sum';
  return {
    format: 'backprop-lab.project',
    version: 1,
    name,
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [4] } },
      { id: 'a1', type: 'Dense', params: { units: 8 }, inputs: ['x'] },
      { id: 'a2', type: 'Tanh', inputs: ['a1'] },
      { id: 'b1', type: 'Dense', params: { units: 8 }, inputs: ['x'] },
      { id: 'b2', type: 'ReLU', inputs: ['b1'], detach: o.detach },
      { id: 'sum', type: 'Add', inputs: ['a2', 'b2'] },
      ...(o.dropout
        ? [{ id: 'drop', type: 'Dropout', params: { p: o.dropout }, inputs: ['sum'] }]
        : []),
      { id: 'cat', type: 'Concat', inputs: [merged, 'x'] },
      { id: 'mid', type: 'Dense', params: { units: 6 }, inputs: ['cat'], frozen: o.frozen },
      { id: 'mid2', type: 'Sigmoid', inputs: ['mid'] },
      { id: 'logits', type: 'Dense', params: { units: 3 }, inputs: ['mid2'] },
    ],
    output: 'logits',
    loss: { type: 'CrossEntropy' },
    data: {
      source: 'builtin:iris',
      testFraction: 0.3,
      ...(o.normalize ? { normalize: o.normalize } : {}),
    },
    training: {
      optimizer: o.optimizer,
      batchSize: o.batchSize ?? 16,
      epochs: o.epochs ?? 12,
      seed: 5,
      shuffle: o.shuffle ?? true,
    },
  };
}

export { ADAM, SGD_MOMENTUM };
