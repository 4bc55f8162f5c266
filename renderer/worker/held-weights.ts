// Weight sets the worker holds under a key, so that they cross the thread boundary once: the
// snapshots it sent the UI ('weights' with `key`) and the sets the UI gave it ('holdWeights':
// weights loaded from a file, a saved run, an import). Messages after that name a set by its
// key. Each kind keeps its newest few; the UI gives a restarted worker its sets again
// (renderer/stores/held-weights.ts).
import type { NamedTensors } from '../../core/io/named-tensors';
import { LabError } from '../../core/util/errors';

/** Snapshots kept: the newest, and the one before it for a message already on its way. */
const SNAPSHOTS = 2;
/** Sets from the UI kept: the UI holds at most two at a time (start weights, shown weights). */
const GIVEN = 4;

export class HeldWeights {
  private readonly snapshots = new Map<string, NamedTensors>();
  private readonly given = new Map<string, NamedTensors>();
  private count = 0;

  /** Keep a copy of a snapshot about to be sent; returns its key. */
  keepSnapshot(
    weights: Iterable<[string, { shape: readonly number[]; data: ArrayLike<number> }]>,
  ): string {
    const copy: NamedTensors = {};
    for (const [name, t] of weights)
      copy[name] = { shape: t.shape.slice(), data: Float32Array.from(t.data) };
    const key = `worker:${++this.count}`;
    keepNewest(this.snapshots, key, copy, SNAPSHOTS);
    return key;
  }

  /** Keep a set the UI gave under the UI's key. */
  keepGiven(key: string, weights: NamedTensors): void {
    keepNewest(this.given, key, weights, GIVEN);
  }

  /** The set of this key, or an error that says it is gone. */
  get(key: string): NamedTensors {
    const w = this.snapshots.get(key) ?? this.given.get(key);
    if (!w) {
      throw new LabError(
        'WEIGHTS',
        `the weights '${key}' are no longer held by the training worker: load them or train again`,
      );
    }
    return w;
  }
}

function keepNewest<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}
