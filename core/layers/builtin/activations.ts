import type { LayerDefinition } from '../contract';
import { single } from './single';

const same = ({ inShapes }: { inShapes: number[][] }) => ({ outShape: inShapes[0].slice() });

export const Sigmoid: LayerDefinition = {
  type: 'Sigmoid',
  category: 'Activations',
  description: 'σ(x) = 1 / (1 + e⁻ˣ); keeps its output for backward',
  build: same,
  forward: (ctx, x) => ctx.ops.sigmoid(single(x)),
};

export const Tanh: LayerDefinition = {
  type: 'Tanh',
  category: 'Activations',
  description: 'tanh(x); keeps its output for backward',
  build: same,
  forward: (ctx, x) => ctx.ops.tanh(single(x)),
};

export const ReLU: LayerDefinition = {
  type: 'ReLU',
  category: 'Activations',
  description: 'max(0, x); keeps its output for backward',
  build: same,
  forward: (ctx, x) => ctx.ops.relu(single(x)),
};

export const LeakyReLU: LayerDefinition = {
  type: 'LeakyReLU',
  category: 'Activations',
  description: 'x if x > 0 else slope·x; keeps its input for backward',
  params: { slope: { type: 'number', default: 0.01, min: 0, description: 'slope for x < 0' } },
  build: same,
  forward: (ctx, x) => ctx.ops.leakyRelu(single(x), ctx.params.slope as number),
};

export const Softmax: LayerDefinition = {
  type: 'Softmax',
  category: 'Activations',
  description: 'softmax over the last axis; keeps its output for backward',
  build: same,
  forward: (ctx, x) => ctx.ops.softmax(single(x)),
};
