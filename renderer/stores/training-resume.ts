// When Train continues a saved run instead of starting over: the run has epochs left, and the
// project is still the one it was trained on. The worker checks the weights and the data
// themselves when the run resumes (core's restoreTrainer); this only decides what Train means.
import { parseProject } from '../../core/graph/parse';
import type { ProjectInput } from '../../core/graph/schema';
import type { SavedRun } from '../worker/protocol';

/**
 * What a resumed run depends on: the network (ids, types, parameters, inputs), its output, the
 * loss, the data, the seed (it picks the data split) and the optimizer's type. The epochs, the
 * learning rate and the optimizer's other numbers, shuffle, frozen, detach, memory, the name and
 * the layout may change: they steer the rest of the run.
 */
function resumeKey(p: ProjectInput): string {
  const known = keys.get(p);
  if (known !== undefined) return known;
  let q: ProjectInput;
  try {
    q = parseProject(p); // defaults filled in, so that a default written out changes nothing
  } catch {
    q = p;
  }
  const key = JSON.stringify({
    nodes: q.nodes.map((n) => ({ id: n.id, type: n.type, params: n.params, inputs: n.inputs })),
    output: q.output,
    loss: q.loss,
    data: q.data,
    seed: q.training?.seed,
    optimizer: q.training?.optimizer?.type ?? 'sgd',
  });
  keys.set(p, key);
  return key;
}

// Projects in the stores are frozen: one key per object.
const keys = new WeakMap<ProjectInput, string>();

/** A run stopped at `at` has not done all the project's epochs yet. */
export function hasEpochsLeft(at: { epoch: number; batch: number }, now: ProjectInput): boolean {
  return at.batch > 0 || at.epoch < (now.training?.epochs ?? 100);
}

/** Train continues `trained` (made with `trainedWith`) on the project `now`. */
export function canResume(
  trained: Pick<SavedRun, 'epoch' | 'batch' | 'batchSize'>,
  trainedWith: ProjectInput,
  now: ProjectInput,
): boolean {
  if (!hasEpochsLeft(trained, now)) return false;
  if (trained.batch > 0 && (now.training?.batchSize ?? 32) !== trained.batchSize) return false;
  return resumeKey(trainedWith) === resumeKey(now);
}
