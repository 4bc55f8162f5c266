/** Reading and writing weights: safetensors, readable JSON, and checking them against a network. */
export type { NamedTensor, NamedTensors } from './named-tensors';
export { formatShape, shapeSize } from './named-tensors';
export type { SafetensorsContents } from './safetensors';
export { readSafetensors, writeSafetensors } from './safetensors';
export type { ReadableDtype } from './safetensors-dtypes';
export {
  makeWeightsMetadata,
  parseWeightsMetadata,
  WEIGHTS_FORMAT,
  WEIGHTS_VERSION,
} from './weights-metadata';
export type { WeightsJsonContents } from './weights-json';
export {
  readWeightsJson,
  writeWeightsJson,
  WEIGHTS_JSON_FORMAT,
  WEIGHTS_JSON_VERSION,
} from './weights-json';
export { matchWeights } from './match-weights';
