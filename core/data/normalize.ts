/**
 * Input normalization, `data.normalize` in a project: each feature x becomes (x − offset) / scale
 * before the first layer, with offset and scale from the training split only, so the test split
 * does not leak into them:
 * - `standardize`: offset the mean, scale the standard deviation (over n, as scikit-learn's
 *   StandardScaler): mean 0 and standard deviation 1 per feature;
 * - `minmax`: offset the minimum, scale the range: every training value in [0, 1].
 * A constant feature has scale 1 (it becomes 0), never a division by zero.
 *
 * The statistics are float32 numbers and the arithmetic is float32 subtraction then division,
 * exactly what the ONNX model's Sub and Div and the PyTorch module's buffers compute, so every
 * export gives the app's numbers from raw features.
 */
import { float32ToText } from '../io/float32-text';
import { LabError } from '../util/errors';
import type { Dataset } from './dataset';

export const NORMALIZE_KINDS = ['none', 'standardize', 'minmax'] as const;
export type NormalizeKind = (typeof NORMALIZE_KINDS)[number];

/** What a trained network does to each raw feature before its first layer. */
export interface Normalization {
  kind: Exclude<NormalizeKind, 'none'>;
  /** Subtracted from each feature (float32 values, one per feature). */
  offset: number[];
  /** Then divided by (float32 values, never 0). */
  scale: number[];
}

/**
 * The statistics of `kind` over the samples of `ds` (the training split), or null for 'none'.
 *
 * @example fitNormalization('standardize', train) // { kind, offset: means, scale: deviations }
 */
export function fitNormalization(kind: NormalizeKind, ds: Dataset): Normalization | null {
  if (kind === 'none') return null;
  const { x, n, inDim } = ds;
  const offset: number[] = [],
    scale: number[] = [];
  for (let j = 0; j < inDim; j++) {
    let lo = Infinity,
      hi = -Infinity,
      sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * inDim + j];
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (kind === 'minmax') {
      const range = Math.fround(hi - lo);
      if (!Number.isFinite(range)) {
        throw new LabError(
          'DATA',
          `data.normalize "minmax": the feature '${ds.featureNames[j]}' spans ${float32ToText(lo)} to ${float32ToText(hi)}, a range larger than float32 holds; use "standardize"`,
          { path: 'data.normalize' },
        );
      }
      offset.push(lo);
      scale.push(range > 0 ? range : 1);
      continue;
    }
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i * inDim + j] - mean;
      squares += d * d;
    }
    const sd = Math.fround(Math.sqrt(squares / n));
    offset.push(Math.fround(mean));
    scale.push(sd > 0 && Number.isFinite(sd) ? sd : 1);
  }
  return { kind, offset, scale };
}

/** (x − offset) / scale per feature, in float32, into a new array (rows of `inDim` values). */
export function normalizeFeatures(
  norm: Normalization,
  x: Float32Array,
  inDim: number,
): Float32Array {
  const out = new Float32Array(x.length);
  const { offset, scale } = norm;
  for (let r = 0; r < x.length; r += inDim) {
    for (let j = 0; j < inDim; j++) out[r + j] = Math.fround(x[r + j] - offset[j]) / scale[j];
  }
  return out;
}

/** The same data set with normalized features (or itself when there is no normalization). */
export function normalizeDataset(ds: Dataset, norm: Normalization | null): Dataset {
  return norm ? { ...ds, x: normalizeFeatures(norm, ds.x, ds.inDim) } : ds;
}

/** As JSON with float32 values in their shortest text: `{"kind":"standardize","offset":[…],…}`. */
export function normalizationJson(norm: Normalization): string {
  const list = (v: number[]) => `[${v.map(float32ToText).join(',')}]`;
  return `{"kind":${JSON.stringify(norm.kind)},"offset":${list(norm.offset)},"scale":${list(norm.scale)}}`;
}

/**
 * Normalization statistics read from a file (weights metadata, a JSON export), checked: a known
 * kind, one finite offset and one finite non-zero scale per feature. `where` names the place
 * in messages.
 */
export function readNormalization(value: unknown, where: string): Normalization {
  const fail = (why: string): never => {
    throw new LabError('WEIGHTS', `${where}: ${why}`, { path: where });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('must be an object { "kind", "offset", "scale" }');
  }
  const { kind, offset, scale } = value as Record<string, unknown>;
  if (kind !== 'standardize' && kind !== 'minmax') {
    return fail(`"kind" must be "standardize" or "minmax", found ${JSON.stringify(kind)}`);
  }
  const numbers = (v: unknown, name: string, nonZero: boolean): number[] => {
    if (!Array.isArray(v) || v.length === 0) return fail(`"${name}" must be a list of numbers`);
    return v.map((x, i) => {
      const f = typeof x === 'number' ? Math.fround(x) : NaN;
      if (!Number.isFinite(f) || (nonZero && f === 0)) {
        fail(
          `"${name}"[${i}] must be a finite${nonZero ? ', non-zero' : ''} number, found ${JSON.stringify(x)}`,
        );
      }
      return f;
    });
  };
  const o = numbers(offset, 'offset', false),
    s = numbers(scale, 'scale', true);
  if (o.length !== s.length) {
    fail(`"offset" has ${o.length} values but "scale" has ${s.length}`);
  }
  return { kind, offset: o, scale: s };
}

/** The formula, for a person: `standardize: x′ = (x − mean) / standard deviation`. */
export function describeNormalization(norm: Normalization): string {
  return norm.kind === 'standardize'
    ? 'standardize: x′ = (x − mean) / standard deviation'
    : 'minmax: x′ = (x − min) / (max − min)';
}
