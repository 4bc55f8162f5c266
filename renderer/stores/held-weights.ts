// Which weight sets the training worker holds, so that weights cross the thread boundary once:
// a snapshot the worker sent is named by the key it came with; weights the UI has from anywhere
// else (a file, a saved run, an import — or a snapshot of a worker since replaced) are given to
// the worker once ('holdWeights') and named by a key of the UI's. A set is known per worker: a
// restarted worker holds nothing, and gets a set again the first time a message names it.
import type { NamedTensors } from '../../core/io/named-tensors';
import type { WorkerLink } from '../worker/client';
import { toWireTensors, transferList } from '../worker/wire';
import { services } from './services';

interface Held {
  worker: WorkerLink;
  /** Which start of that worker holds the set (WorkerLink.starts). */
  starts: number;
  key: string;
}

const held = new WeakMap<NamedTensors, Held>();
let given = 0;

/** These weights arrived from the worker under `key`: it holds them. */
export function heldByWorker(weights: NamedTensors, key: string): void {
  const { worker } = services();
  held.set(weights, { worker, starts: worker.starts, key });
}

/** The key the worker holds these weights under, giving them to it first when it has not. */
export function heldWeightsKey(weights: NamedTensors): string {
  const { worker } = services();
  const h = held.get(weights);
  if (h && h.worker === worker && h.starts === worker.starts) return h.key;
  const key = `ui:${++given}`;
  const tensors = toWireTensors(Object.entries(weights));
  worker.post({ type: 'holdWeights', key, tensors }, transferList(tensors));
  held.set(weights, { worker, starts: worker.starts, key });
  return key;
}
