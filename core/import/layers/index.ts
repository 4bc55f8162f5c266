/**
 * The recognizer of each built-in layer, one per layer and a table the type checker keeps
 * complete (as the ONNX export mappings are), plus Identity, which is no layer.
 */
import type { BuiltinLayerType } from '../../layers/builtin';
import type { OnnxImportPattern } from '../pattern';
import {
  leakyReluImport,
  reluImport,
  sigmoidImport,
  softmaxImport,
  tanhImport,
} from './activations';
import { denseImport } from './dense';
import { dropoutImport, identityImport } from './dropout';
import { addImport, concatImport } from './merge';

export const BUILTIN_IMPORT: Record<Exclude<BuiltinLayerType, 'Input'>, OnnxImportPattern> = {
  Dense: denseImport,
  Sigmoid: sigmoidImport,
  Tanh: tanhImport,
  ReLU: reluImport,
  LeakyReLU: leakyReluImport,
  Softmax: softmaxImport,
  Add: addImport,
  Concat: concatImport,
  Dropout: dropoutImport,
};

/** Every pattern the importer tries, in this order. */
export const IMPORT_PATTERNS: readonly OnnxImportPattern[] = [
  ...Object.values(BUILTIN_IMPORT),
  identityImport,
];
