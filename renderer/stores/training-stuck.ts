// The training store's "stuck worse than guessing" message (core/train/stuck.ts) for the run on
// screen: its per-epoch losses, its loss's guess at the output's width, its learning rate.
import { parseProject } from '../../core/graph/parse';
import type { ProjectInput } from '../../core/graph/schema';
import { LOSS_DEFINITIONS, type LossType } from '../../core/losses';
import { stuckAdvice } from '../../core/train/stuck';
import type { CompiledSummary } from '../worker/protocol-types';

export function stuckMessage(
  trainLoss: readonly number[],
  project: ProjectInput | null,
  summary: CompiledSummary | null,
): string | null {
  if (!project) return null;
  const loss = LOSS_DEFINITIONS[project.loss.type as LossType];
  const out = summary?.nodes[project.output]?.outShape;
  if (!loss || !out) return null;
  const width = out.reduce((a, b) => a * b, 1);
  const guess = loss.guessing(width);
  if (!guess || trainLoss.length === 0) return null;
  let lr: number;
  try {
    lr = parseProject(project).training.optimizer.lr; // the default where the project has none
  } catch {
    return null; // a project that no longer parses has its own message
  }
  return stuckAdvice(trainLoss, guess, lr, 'then Reset and train again');
}
