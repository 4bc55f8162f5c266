import type { LayerDefinition } from '../contract';
import { ReLU, LeakyReLU, Sigmoid, Softmax, Tanh } from './activations';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { Input } from './input';
import { Add, Concat } from './merge';

export const BUILTIN_LAYER_TYPES = [
  'Input',
  'Dense',
  'Sigmoid',
  'Tanh',
  'ReLU',
  'LeakyReLU',
  'Softmax',
  'Add',
  'Concat',
  'Dropout',
] as const;
export type BuiltinLayerType = (typeof BUILTIN_LAYER_TYPES)[number];

/** Every built-in layer, from an explicit list that the type checker keeps complete. */
export const BUILTIN_LAYERS: Record<BuiltinLayerType, LayerDefinition> = {
  Input,
  Dense,
  Sigmoid,
  Tanh,
  ReLU,
  LeakyReLU,
  Softmax,
  Add,
  Concat,
  Dropout,
};
