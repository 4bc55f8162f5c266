// The `trained` section of a project file (format version 2): a TrainerState as JSON. Float32
// tensors are base64 of their little-endian bytes (bit for bit); float64 numbers are JSON numbers,
// which read back exactly, with NaN, ±Infinity and −0 as strings. docs/project-format.md
// describes every field.
import { z } from 'zod';
import { type Normalization, readNormalization } from '../data/normalize';
import { float32ToText } from '../io/float32-text';
import { formatPath } from '../graph/parse';
import { base64ToFloat32, float32ToBase64 } from '../io/base64';
import { formatShape, isValidShape, type NamedTensors, shapeSize } from '../io/named-tensors';
import type { WeightState } from '../optim/optimizer';
import type { EpochStats } from '../train/trainer';
import type { TrainerState } from '../train/trainer-state';
import { LabError } from '../util/errors';

/** The key of the section in a project file. */
export const TRAINED_KEY = 'trained';

/** A float64 as JSON: a number, or a string for the values JSON has no number for. */
export type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export interface TrainedJson {
  epoch: number;
  batch: number;
  batchSize: number;
  loss: JsonFloat | null;
  data: { samples: number; checksum: string };
  weights: Record<string, { shape: number[]; data: string }>;
  optimizer: {
    type: 'sgd' | 'adam';
    steps: number;
    state: Record<string, Record<string, string | number>>;
  };
  generators: { shuffle: RngJson; dropout: RngJson };
  order: number[];
  epochSoFar: { lossSum: JsonFloat; correct: number; seen: number; accuracy: boolean };
  /** `data.normalize`'s statistics from the training split, as a weights file has them. */
  normalization: Normalization | null;
  history: {
    trainLoss: JsonFloat[];
    trainAccuracy: (JsonFloat | null)[];
    testLoss: (JsonFloat | null)[];
    testAccuracy: (JsonFloat | null)[];
  };
}

interface RngJson {
  words: number[];
  spare: JsonFloat | null;
}

export function encodeFloat(x: number): JsonFloat {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

function decodeFloat(v: JsonFloat): number {
  return typeof v === 'number' ? v : v === '-0' ? -0 : Number(v);
}

const optFloat = (x: number | null): JsonFloat | null => (x === null ? null : encodeFloat(x));

/** The JSON form of a saved run, to write into a project file. */
export function encodeTrained(s: TrainerState): TrainedJson {
  const weights: TrainedJson['weights'] = {};
  for (const [name, t] of Object.entries(s.weights)) {
    weights[name] = { shape: t.shape.slice(), data: float32ToBase64(t.data) };
  }
  const state: TrainedJson['optimizer']['state'] = {};
  for (const [name, ws] of Object.entries(s.optimizer.state)) {
    state[name] = Object.fromEntries(
      Object.entries(ws).map(([k, v]) => [k, typeof v === 'number' ? v : float32ToBase64(v)]),
    );
  }
  const rng = (r: TrainerState['loop']['shuffle']): RngJson => ({
    words: r.words.slice(),
    spare: optFloat(r.spare),
  });
  const h = s.history;
  return {
    epoch: s.loop.epoch,
    batch: s.loop.batch,
    batchSize: s.batchSize,
    loss: optFloat(s.loop.lastLoss),
    data: { ...s.data },
    weights,
    optimizer: { type: s.optimizer.type, steps: s.optimizer.steps, state },
    generators: { shuffle: rng(s.loop.shuffle), dropout: rng(s.loop.dropout) },
    order: Array.from(s.loop.order),
    epochSoFar: {
      lossSum: encodeFloat(s.loop.sums.loss),
      correct: s.loop.sums.correct,
      seen: s.loop.sums.seen,
      accuracy: s.loop.sums.accuracy,
    },
    // Float32 statistics in their shortest text (0.1, not 0.10000000149011612), read back exactly.
    normalization: s.normalization && {
      kind: s.normalization.kind,
      offset: s.normalization.offset.map((v) => Number(float32ToText(v))),
      scale: s.normalization.scale.map((v) => Number(float32ToText(v))),
    },
    history: {
      trainLoss: h.map((e) => encodeFloat(e.trainLoss)),
      trainAccuracy: h.map((e) => optFloat(e.trainAccuracy)),
      testLoss: h.map((e) => optFloat(e.testLoss)),
      testAccuracy: h.map((e) => optFloat(e.testAccuracy)),
    },
  };
}

/**
 * The section's JSON text, as it stands in a project file (indented one level, long arrays on
 * one line each). Made where the run is (the training worker, the command line), so that the
 * UI thread only joins texts, however long the history has grown.
 */
export function trainedText(s: TrainerState): string {
  return compactJson(encodeTrained(s), '  ');
}

/** JSON indented by object, with arrays of plain values on one line. */
function compactJson(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
    const inner = indent + '  ';
    return `[\n${v.map((x) => inner + compactJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    const lines = entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${compactJson(x, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

const count = z.number().int().min(0);
const float = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity', '-0'])]);
const uint32 = z.number().int().min(0).max(0xffffffff);
const rngSchema = z.strictObject({
  words: z.array(uint32).length(4),
  spare: float.nullable(),
});

const trainedSchema = z.strictObject({
  epoch: count,
  batch: count,
  batchSize: z.number().int().positive(),
  loss: float.nullable(),
  data: z.strictObject({ samples: count, checksum: z.string() }),
  weights: z.record(z.string(), z.strictObject({ shape: z.array(count), data: z.string() })),
  optimizer: z.strictObject({
    type: z.enum(['sgd', 'adam']),
    steps: count,
    state: z.record(z.string(), z.record(z.string(), z.union([z.string(), count]))),
  }),
  generators: z.strictObject({ shuffle: rngSchema, dropout: rngSchema }),
  order: z.array(z.number().int()),
  epochSoFar: z.strictObject({
    lossSum: float,
    correct: count,
    seen: count,
    accuracy: z.boolean(),
  }),
  // Checked by readNormalization (the same rules as a weights file's).
  normalization: z.unknown().optional(),
  history: z.strictObject({
    trainLoss: z.array(float),
    trainAccuracy: z.array(float.nullable()),
    testLoss: z.array(float.nullable()),
    testAccuracy: z.array(float.nullable()),
  }),
});

/**
 * Read and check a `trained` section (its structure: types, base64, sizes, lengths; whether it
 * fits the network and data is restoreTrainer's check). Problems: LabError('TRAINED') listing
 * each as `trained.<field>: <what is wrong>`.
 */
export function decodeTrained(value: unknown, path = TRAINED_KEY): TrainerState {
  const r = trainedSchema.safeParse(value);
  if (!r.success) {
    throw trainedError(
      path,
      r.error.issues.map((i) => `${join(path, formatPath(i.path))}: ${i.message}`),
    );
  }
  const v = r.data;
  const problems: string[] = [];
  const weights: NamedTensors = {};
  for (const [name, w] of Object.entries(v.weights)) {
    const data = base64ToFloat32(w.data);
    const at = `${path}.weights.${name}.data`;
    if (!data) problems.push(`${at}: is not base64 of little-endian float32 values`);
    else if (!isValidShape(w.shape) || data.length !== shapeSize(w.shape)) {
      problems.push(
        `${at}: holds ${data.length} float32 value${data.length === 1 ? '' : 's'}, but the shape ${formatShape(w.shape)} has ${shapeSize(w.shape)}`,
      );
    } else weights[name] = { shape: w.shape, data };
  }
  const state: Record<string, WeightState> = {};
  for (const [name, fields] of Object.entries(v.optimizer.state)) {
    const ws: WeightState = {};
    for (const [field, x] of Object.entries(fields)) {
      if (typeof x === 'number') ws[field] = x;
      else {
        const data = base64ToFloat32(x);
        if (data) ws[field] = data;
        else {
          problems.push(
            `${path}.optimizer.state.${name}.${field}: is not base64 of little-endian float32 values`,
          );
        }
      }
    }
    state[name] = ws;
  }
  const h = v.history;
  for (const [key, list] of Object.entries(h)) {
    if (list.length !== v.epoch) {
      problems.push(
        `${path}.history.${key}: holds ${epochs(list.length)}, but ${path}.epoch is ${v.epoch}`,
      );
    }
  }
  if (v.epochSoFar.correct > v.epochSoFar.seen) {
    problems.push(
      `${path}.epochSoFar.correct: ${v.epochSoFar.correct} correct of ${v.epochSoFar.seen} samples seen`,
    );
  }
  let normalization: Normalization | null = null;
  if (v.normalization !== undefined && v.normalization !== null) {
    try {
      normalization = readNormalization(v.normalization, `${path}.normalization`);
    } catch (e) {
      problems.push(e instanceof LabError ? e.message : String(e));
    }
  }
  if (problems.length) throw trainedError(path, problems);

  const opt = (x: JsonFloat | null) => (x === null ? null : decodeFloat(x));
  const history: EpochStats[] = h.trainLoss.map((loss, i) => ({
    epoch: i + 1,
    trainLoss: decodeFloat(loss),
    trainAccuracy: opt(h.trainAccuracy[i]),
    testLoss: opt(h.testLoss[i]),
    testAccuracy: opt(h.testAccuracy[i]),
  }));
  const rng = (g: RngJson) => ({
    words: g.words.slice(0, 4) as [number, number, number, number],
    spare: opt(g.spare),
  });
  return {
    loop: {
      epoch: v.epoch,
      batch: v.batch,
      sums: {
        loss: decodeFloat(v.epochSoFar.lossSum),
        correct: v.epochSoFar.correct,
        seen: v.epochSoFar.seen,
        accuracy: v.epochSoFar.accuracy,
      },
      order: Int32Array.from(v.order),
      shuffle: rng(v.generators.shuffle),
      dropout: rng(v.generators.dropout),
      lastLoss: opt(v.loss),
      updates: v.optimizer.steps,
    },
    batchSize: v.batchSize,
    weights,
    optimizer: { type: v.optimizer.type, steps: v.optimizer.steps, state },
    history,
    data: { ...v.data },
    normalization,
  };
}

function epochs(n: number): string {
  return `${n} epoch${n === 1 ? '' : 's'}`;
}

function join(path: string, sub: string): string {
  return sub === '' ? path : sub.startsWith('[') ? `${path}${sub}` : `${path}.${sub}`;
}

function trainedError(path: string, problems: string[]): LabError {
  const head =
    problems.length === 1
      ? problems[0]
      : `${problems.length} problems in the saved training, first ${problems[0]}`;
  return new LabError(
    'TRAINED',
    head,
    { path: problems[0].slice(0, problems[0].indexOf(':')) || path },
    problems,
  );
}
