// Turning engine values into messages and back: errors with their place, weights as buffers.
import type { NamedTensors } from '../../core/io/named-tensors';
import { ProjectError } from '../../core/graph/parse';
import { isLabError } from '../../core/util/errors';
import type { WireError, WireTensor } from './protocol';

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
