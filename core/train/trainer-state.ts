// A training run as data: everything an exact resume needs (weights, the optimizer's per-weight
// state, where the loop is in its epoch, the shuffle and dropout generators, the history), taken
// from a Trainer and put back into a new one. A run saved at any batch and resumed gives the
// weights an uninterrupted run gives, bit for bit. The JSON form is in project/trained-section.ts.
import type { Dataset } from '../data/dataset';
import type { Normalization } from '../data/normalize';
import { float32ToText } from '../io/float32-text';
import type { OptimizerConfig } from '../graph/schema';
import { matchWeights } from '../io/match-weights';
import type { NamedTensors } from '../io/named-tensors';
import type { WeightState } from '../optim/optimizer';
import { isLabError, LabError } from '../util/errors';
import type { RngState } from '../util/rng';
import type { EpochStats, Trainer } from './trainer';

/** Where the loop stands in its epoch (Trainer.loopState). */
export interface LoopState {
  /** Epochs finished. */
  epoch: number;
  /** Batches of the current epoch trained so far. */
  batch: number;
  /** Sums over those batches, from which the epoch's mean loss and accuracy come. */
  sums: { loss: number; correct: number; seen: number; accuracy: boolean };
  /** The current epoch's sample order (indices into the training split). */
  order: Int32Array;
  shuffle: RngState;
  dropout: RngState;
  /** The last batch's loss, null before the first batch. */
  lastLoss: number | null;
  /** Weight updates made (as the optimizer's steps: the file keeps them once, there). */
  updates: number;
}

export interface TrainerState {
  loop: LoopState;
  /** The batch size `loop.batch` counts in. */
  batchSize: number;
  weights: NamedTensors;
  optimizer: {
    type: OptimizerConfig['type'];
    steps: number;
    /** By weight name; weights the optimizer keeps nothing for are left out. */
    state: Record<string, WeightState>;
  };
  history: EpochStats[];
  /** The training split it was trained on: its size and a checksum of its (normalized) values. */
  data: { samples: number; checksum: string };
  /**
   * The input normalization it was trained with (null: raw inputs): kept so that exports and
   * predictions of a trained project need not load its data again.
   */
  normalization: Normalization | null;
}

/**
 * Everything needed to resume `trainer` exactly where it is (between two batches).
 *
 * @example const saved = snapshotTrainer(trainer); restoreTrainer(newTrainer, saved);
 */
export function snapshotTrainer(trainer: Trainer): TrainerState {
  const state: Record<string, WeightState> = {};
  for (const [name, w] of trainer.model.weights) {
    const s = trainer.optimizer.stateOf(w);
    if (s) state[name] = s;
  }
  return {
    loop: trainer.loopState(),
    batchSize: trainer.config.batchSize,
    weights: trainer.model.exportWeights(),
    optimizer: { type: trainer.config.optimizer.type, steps: trainer.optimizer.steps, state },
    history: trainer.history.map((h) => ({ ...h })),
    data: { samples: trainer.trainSet.n, checksum: datasetChecksum(trainer.trainSet) },
    normalization: trainer.normalization && cloneNormalization(trainer.normalization),
  };
}

function cloneNormalization(n: Normalization): Normalization {
  return { kind: n.kind, offset: n.offset.slice(), scale: n.scale.slice() };
}

/**
 * Put a saved run into a trainer built from the same project (same network, data and
 * optimizer type; epochs, learning rate and other settings may differ). Checks everything first
 * and changes nothing when something does not fit: LabError('TRAINED') lists every problem with
 * its field path under `path` (the project file's `trained`).
 */
export function restoreTrainer(trainer: Trainer, s: TrainerState, path = 'trained'): void {
  const problems = fitProblems(trainer, s, path);
  if (problems.length) {
    const first = problems[0];
    throw new LabError(
      'TRAINED',
      problems.length === 1
        ? `the saved training does not fit the project: ${first}`
        : `the saved training does not fit the project (${problems.length} problems), first ${first}`,
      { path: first.slice(0, first.indexOf(':')) },
      problems,
    );
  }
  trainer.model.importWeights(s.weights);
  trainer.optimizer.steps = s.optimizer.steps;
  for (const [name, ws] of Object.entries(s.optimizer.state)) {
    trainer.optimizer.setStateOf(trainer.model.weights.get(name)!, ws);
  }
  // One entry at a time: spreading a long history into splice()'s arguments overflows the stack
  // (a Chromium worker failed at 86,753 epochs).
  trainer.history.length = 0;
  for (const h of s.history) trainer.history.push({ ...h });
  trainer.setLoopState(s.loop);
}

/** Every way the saved run does not fit the trainer, each `<field path>: <what is wrong>`. */
function fitProblems(trainer: Trainer, s: TrainerState, path: string): string[] {
  const problems: string[] = [];
  const at = (field: string, message: string) => problems.push(`${path}.${field}: ${message}`);
  try {
    matchWeights(trainer.model.weightShapes(), s.weights);
  } catch (e) {
    if (!isLabError(e)) throw e;
    for (const p of e.problems) problems.push(`${path}.weights.${p}`);
  }
  const opt = trainer.config.optimizer.type;
  if (s.optimizer.type !== opt) {
    at(
      'optimizer.type',
      `the network was trained with ${s.optimizer.type}, but the project's optimizer is ${opt}: the saved optimizer state cannot continue (set the optimizer back, or start over)`,
    );
  } else {
    const fields = trainer.optimizer.stateFields;
    for (const [name, ws] of Object.entries(s.optimizer.state)) {
      const w = trainer.model.weights.get(name);
      if (!w) {
        at(`optimizer.state.${name}`, 'is not a weight of the network');
        continue;
      }
      for (const [field, kind] of Object.entries(fields)) {
        const v = ws[field];
        if (v === undefined) at(`optimizer.state.${name}.${field}`, `is missing (${opt} keeps it)`);
        else if (kind === 'buffer' && !(v instanceof Float32Array && v.length === w.size)) {
          at(
            `optimizer.state.${name}.${field}`,
            `must hold ${w.size} float32 values (the size of ${name}), got ${v instanceof Float32Array ? v.length : typeof v}`,
          );
        } else if (
          kind === 'count' &&
          !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)
        ) {
          at(`optimizer.state.${name}.${field}`, `must be a whole number ≥ 0, got ${String(v)}`);
        }
      }
      for (const field of Object.keys(ws)) {
        if (!Object.hasOwn(fields, field))
          at(`optimizer.state.${name}.${field}`, `is not part of ${opt}'s state`);
      }
    }
  }
  const n = trainer.trainSet.n;
  const was = s.normalization?.kind ?? 'none',
    now = trainer.normalization?.kind ?? 'none';
  if (was !== now) {
    at(
      'normalization',
      `the network was trained on inputs with data.normalize "${was}", but the project now says "${now}": set it back to resume`,
    );
  } else if (s.data.samples !== n) {
    at(
      'data.samples',
      `the network was trained on ${s.data.samples} training samples, but the project's data gives ${n}: it cannot resume on other data`,
    );
  } else if (s.data.checksum !== datasetChecksum(trainer.trainSet)) {
    at(
      'data.checksum',
      `the training data differs from the data the network was trained on (checksum ${s.data.checksum}, now ${datasetChecksum(trainer.trainSet)}): it cannot resume exactly`,
    );
  } else {
    const bad = permutationProblem(s.loop.order, n);
    if (bad) at('order', bad);
    // The same training split gives the same statistics, bit for bit: saved ones that differ
    // were changed in the file, and the run would go on with other inputs than its exports take.
    const wrong = statisticsProblem(s.normalization, trainer.normalization);
    if (wrong) at(`normalization.${wrong.field}`, wrong.message);
  }
  const bs = trainer.config.batchSize;
  if (s.loop.batch > 0 && s.batchSize !== bs) {
    at(
      'batchSize',
      `the run stopped after batch ${s.loop.batch} of an epoch in batches of ${s.batchSize}, but the project's batchSize is ${bs}: set it back to ${s.batchSize} to resume (or change it at an epoch's end)`,
    );
  } else if (s.loop.batch >= Math.ceil(n / bs)) {
    at(
      'batch',
      `is ${s.loop.batch}, but an epoch of ${n} samples has ${Math.ceil(n / bs)} batches of ${bs}`,
    );
  }
  const seen = Math.min(s.loop.batch * s.batchSize, n);
  if (s.data.samples === n && s.loop.sums.seen !== seen) {
    at(
      'epochSoFar.seen',
      `is ${s.loop.sums.seen}, but ${s.loop.batch} batches of ${s.batchSize} are ${seen} samples`,
    );
  }
  if (s.history.length !== s.loop.epoch) {
    at(
      'history',
      `holds ${s.history.length} epoch${s.history.length === 1 ? '' : 's'}, but ${path}.epoch is ${s.loop.epoch}`,
    );
  }
  return problems;
}

/** The first saved statistic that is not the training split's own, bit for bit. */
function statisticsProblem(
  saved: Normalization | null,
  now: Normalization | null,
): { field: string; message: string } | null {
  if (!saved || !now) return null;
  for (const field of ['offset', 'scale'] as const) {
    const a = saved[field],
      b = now[field];
    if (a.length !== b.length) {
      return {
        field,
        message: `holds ${a.length} values, but the network's input has ${b.length} features`,
      };
    }
    for (let j = 0; j < a.length; j++) {
      if (!Object.is(Math.fround(a[j]), b[j])) {
        return {
          field: `${field}[${j}]`,
          message: `is ${float32ToText(a[j])}, but data.normalize "${now.kind}" of the training split gives ${float32ToText(b[j])}: these are not the statistics the network was trained with`,
        };
      }
    }
  }
  return null;
}

function permutationProblem(order: Int32Array, n: number): string | null {
  if (order.length !== n)
    return `holds ${order.length} sample indices, the training split has ${n}`;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i];
    if (k < 0 || k >= n) return `index ${k} at position ${i} is not a sample of the ${n}`;
    if (seen[k]) return `sample ${k} appears twice (at position ${i} again)`;
    seen[k] = 1;
  }
  return null;
}

const checksums = new WeakMap<Dataset, string>();

/**
 * FNV-1a (32 bit) over the float32 bits of a data set's features and targets, with its size:
 * a resume notices when a CSV file or a generator setting gave other samples.
 */
export function datasetChecksum(ds: Dataset): string {
  const known = checksums.get(ds);
  if (known) return known;
  let h = 0x811c9dc5;
  const mix = (word: number) => {
    for (let k = 0; k < 4; k++) {
      h ^= (word >>> (8 * k)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  };
  mix(ds.n);
  mix(ds.inDim);
  mix(ds.yDim);
  for (const a of [ds.x, ds.y]) {
    const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < bits.length; i++) mix(bits[i]);
  }
  const sum = `fnv1a32:${(h >>> 0).toString(16).padStart(8, '0')}`;
  checksums.set(ds, sum);
  return sum;
}
