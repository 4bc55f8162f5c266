/** Data sets: the Dataset type and its helpers, the built-in data, CSV, and project data specs. */
export type { DataOrigin, Dataset } from './dataset';
export { classCounts, oneHot, subset, trainTestSplit } from './dataset';
export type { BuiltinOptions, BuiltinFileName } from './builtin';
export {
  BUILTIN_DEFAULTS,
  BUILTIN_FILES,
  BUILTIN_GENERATORS,
  BUILTIN_NAMES,
  loadBuiltin,
} from './builtin';
export type { CsvOptions } from './csv';
export { parseCell, parseCsv, parseFeatureCsv } from './csv';
export type { Generator, GeneratorName, GeneratorOptions } from './generators/index';
export { GENERATORS } from './generators/index';
export type { BuiltinDataSpec, CsvDataSpec, DataHost, DataSpec, InlineDataSpec } from './resolve';
export { resolveData } from './resolve';
export type { Normalization, NormalizeKind } from './normalize';
export {
  NORMALIZE_KINDS,
  describeNormalization,
  fitNormalization,
  normalizationJson,
  normalizeDataset,
  normalizeFeatures,
  readNormalization,
} from './normalize';
export type { ScaleSpread } from './scales';
export { SCALE_HINT_RATIO, scaleHint, scaleSpread } from './scales';
