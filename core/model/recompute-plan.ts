// The order a model runs its nodes in, with each connected run of `recompute` nodes grouped into
// one segment (the memory policy of docs/project-format.md): what Model.forward and backward walk.
import type { CompiledNode } from '../graph/compile';

export type PlanStep =
  | { kind: 'node'; node: CompiledNode }
  | {
      kind: 'segment';
      nodes: CompiledNode[];
      /** Outputs of nodes outside the segment that it reads: the only tensors it keeps. */
      inputs: string[];
      /** Its nodes whose outputs are read outside the segment (or are the graph output). */
      outputs: string[];
    };

/**
 * Group nodes marked `recompute` into segments: a run of such nodes, consecutive in execution
 * order and connected by edges, becomes one checkpoint (like torch.utils.checkpoint). The
 * entry (the Input node) never joins a segment.
 */
export function makePlan(nodes: CompiledNode[], outputId: string): PlanStep[] {
  const steps: PlanStep[] = [];
  let open: CompiledNode[] | null = null;
  for (const n of nodes) {
    const recompute = n.memory === 'recompute' && !n.def.entry;
    if (recompute && open && n.inputs.some((s) => open!.some((m) => m.id === s))) {
      open.push(n);
      continue;
    }
    if (open) steps.push(closeSegment(open, nodes, outputId));
    open = null;
    if (recompute) open = [n];
    else steps.push({ kind: 'node', node: n });
  }
  if (open) steps.push(closeSegment(open, nodes, outputId));
  return steps;
}

function closeSegment(seg: CompiledNode[], all: CompiledNode[], outputId: string): PlanStep {
  const ids = new Set(seg.map((n) => n.id));
  const inputs = [...new Set(seg.flatMap((n) => n.inputs.filter((s) => !ids.has(s))))];
  const readOutside = new Set(all.filter((n) => !ids.has(n.id)).flatMap((n) => n.inputs));
  const outputs = seg.filter((n) => readOutside.has(n.id) || n.id === outputId).map((n) => n.id);
  return { kind: 'segment', nodes: seg, inputs, outputs };
}
