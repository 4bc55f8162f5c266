// Turning engine values into messages and back: errors with their place, weights as buffers.
import type { NamedTensors } from '../../core/io/named-tensors';
import { ProjectError } from '../../core/graph/parse';
import { isLabError } from '../../core/util/errors';
import { decodeTrained, trainedText } from '../../core/project/trained-section';
import type { TrainerState } from '../../core/train/trainer-state';
import type { SavedRun, WireError, WireTensor } from './protocol';

/** Any thrown value as a WireError: a LabError keeps its code, place, issues and problems. */
export function toWireError(e: unknown, fallback: Partial<WireError> = {}): WireError {
  if (isLabError(e)) {
    return {
      code: e.code,
      message: e.message,
      place: { ...e.place },
      ...(e instanceof ProjectError ? { issues: e.issues.map((i) => ({ ...i })) } : {}),
      ...(e.problems.length > 1 || e.problems[0] !== e.message
        ? { problems: e.problems.slice() }
        : {}),
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'OP', message, place: {}, ...fallback };
}

/** Copies of the weights, each in its own buffer so that it can be transferred. */
export function toWireTensors(
  weights: Iterable<[string, { shape: readonly number[]; data: ArrayLike<number> }]>,
): WireTensor[] {
  return [...weights].map(([name, t]) => {
    const copy = Float32Array.from(t.data);
    return { name, shape: t.shape.slice(), buffer: copy.buffer };
  });
}

export function fromWireTensors(tensors: WireTensor[]): NamedTensors {
  const out: NamedTensors = {};
  for (const t of tensors)
    out[t.name] = { shape: t.shape.slice(), data: new Float32Array(t.buffer) };
  return out;
}

export function transferList(tensors: WireTensor[]): ArrayBuffer[] {
  return tensors.map((t) => t.buffer);
}

/** A saved run as the UI keeps it: its section's text and where it stands. */
export function savedRunOf(s: TrainerState): SavedRun {
  return { text: trainedText(s), epoch: s.loop.epoch, batch: s.loop.batch, batchSize: s.batchSize };
}

/** A `trained` section's text read back (its problems are LabError('TRAINED') naming the field). */
export function readSavedRun(text: string): TrainerState {
  return decodeTrained(JSON.parse(text));
}
