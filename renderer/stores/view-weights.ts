// What the views computed in the worker (the Lab's, the canvas's neuron maps) look at: the
// run's weights while it is on, else the last ones it sent (or that were loaded), else a fresh
// initialisation; and the part of the project that changes what they show.
import type { ProjectInput } from '../../core/graph/schema';
import type { WeightsSource } from '../lab/inspect-types';
import { heldWeightsKey } from './held-weights';
import type { useTrainingStore } from './training';

/** Fields of the project that do not change what a view shows. */
const LOOKS_ONLY = new Set(['layout', 'name', 'description']);

export function viewWeights(training: ReturnType<typeof useTrainingStore>): WeightsSource {
  if (training.active) return { from: 'run' };
  const w = training.weights;
  if (!w) return { from: 'initial' };
  // The worker holds them (it sent them, or is given them once): the request names them.
  return {
    from: 'given',
    key: heldWeightsKey(w),
    epoch: training.weightsEpoch,
    ...(training.weightsAt ? { at: training.weightsAt } : {}),
  };
}

/** The project without its layout and name, as a string to compare. */
export function viewKey(project: ProjectInput): string {
  const p = project as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(p)
      .filter((k) => !LOOKS_ONLY.has(k))
      .map((k) => [k, p[k]]),
  );
}
