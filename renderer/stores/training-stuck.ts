// The training store's "stuck worse than guessing" message (core/train/stuck.ts) for the run on
// screen: its per-epoch losses, its loss's guess at the output's width, its learning rate.
import { parseProject } from '../../core/graph/parse';
import type { ProjectInput } from '../../core/graph/schema';
import { LOSS_DEFINITIONS, type LossType } from '../../core/losses';
import { stuckAdvice } from '../../core/train/stuck';
import { sizeOf } from '../../core/tensor/tensor';
import type { CompiledSummary } from '../worker/protocol-types';

/** Each run's project parsed once (the default where it has none), not at every epoch. */
const rates = new WeakMap<ProjectInput, number | null>();

function learningRate(project: ProjectInput): number | null {
  let lr = rates.get(project);
  if (lr === undefined) {
    try {
      lr = parseProject(project).training.optimizer.lr;
    } catch {
      lr = null;
    }
    rates.set(project, lr);
  }
  return lr;
}

export function stuckMessage(
  trainLoss: readonly number[],
  project: ProjectInput | null,
  summary: CompiledSummary | null,
): string | null {
  if (!project) return null;
  const loss = LOSS_DEFINITIONS[project.loss.type as LossType];
  const out = summary?.nodes[project.output]?.outShape;
  if (!loss || !out) return null;
  const guess = loss.guessing(sizeOf(out));
  if (!guess || trainLoss.length === 0) return null;
  const lr = learningRate(project);
  if (lr === null) return null; // a project that no longer parses has its own message
  return stuckAdvice(trainLoss, guess, lr, 'then Reset and train again');
}
