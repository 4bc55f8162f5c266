// Shapes for every node that can have one, even while the rest of the graph is unfinished or
// wrong: the builder draws shapes on a half-built network, where compileProject (which rightly
// refuses the whole project) would give none. Both come from core's one graph checker. Pure:
// used by the worker (with plugin code) and by the UI thread (built-ins only; plugin shapes come
// from the worker's last answer).
import {
  checkGraph,
  type GraphNodeInput,
  type LayerTable,
  type NodeProblem,
} from '../../core/graph/checker';
import type { CompiledSummary, ProjectIssue, SummaryNode } from '../worker/protocol-types';

export type { LayerShapeInfo, LayerTable, ProblemKind } from '../../core/graph/checker';

export interface InferredNode {
  /** Null when unknown: an upstream node has no shape, or this node has a problem. */
  outShape: number[] | null;
  inShapes: number[][] | null;
  weights: Record<string, number[]> | null;
  paramCount: number | null;
  /** The node's first problem. */
  problem?: NodeProblem;
  used: boolean;
  trainable: boolean;
}

export interface Inference {
  nodes: Record<string, InferredNode>;
  /** Node ids in an order where inputs come first (nodes on a cycle are left out). */
  order: string[];
  cycle: string[] | null;
  /** Nodes that do not feed the output, and their problems: warnings, each on its node. */
  warnings: ProjectIssue[];
}

/**
 * Infer shapes node by node. `known` supplies shapes for layers whose build is not available
 * here, used only when their input shapes are still the ones they were computed for.
 */
export function inferShapes(
  project: { nodes: readonly GraphNodeInput[]; output?: string },
  layers: LayerTable,
  known?: Record<string, SummaryNode>,
): Inference {
  const check = checkGraph(project, layers, known);
  const nodes: Record<string, InferredNode> = {};
  for (const [id, c] of check.nodes) {
    nodes[id] = {
      outShape: c.outShape,
      inShapes: c.inShapes,
      weights: c.weights
        ? Object.fromEntries(Object.entries(c.weights).map(([w, s]) => [w, s.shape.slice()]))
        : null,
      paramCount: c.paramCount,
      ...(c.problems.length ? { problem: c.problems[0] } : {}),
      used: c.used,
      trainable: c.trainable,
    };
  }
  return { nodes, order: check.order, cycle: check.cycle, warnings: check.warnings };
}

/** The builder's summary: shapes of the nodes that have one, which feed the output, which train. */
export function summarize(inference: Inference, warnings: string[] = []): CompiledSummary {
  const nodes: Record<string, SummaryNode> = {};
  for (const id of inference.order) {
    const i = inference.nodes[id];
    if (!i.outShape) continue;
    nodes[id] = {
      outShape: i.outShape,
      inShapes: i.inShapes ?? [],
      paramCount: i.paramCount ?? 0,
      weights: i.weights ?? {},
      used: i.used,
      trainable: i.trainable,
    };
  }
  return { nodes, warnings, nodeWarnings: inference.warnings, ok: false, weightShapes: {} };
}
