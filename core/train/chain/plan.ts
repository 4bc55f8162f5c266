import type { CompiledGraph, CompiledNode } from '../../graph/compile';

export type ChainKind = 'Dense' | 'Sigmoid' | 'Tanh' | 'ReLU' | 'LeakyReLU' | 'Softmax' | 'Dropout';
const KINDS = new Set<string>([
  'Dense',
  'Sigmoid',
  'Tanh',
  'ReLU',
  'LeakyReLU',
  'Softmax',
  'Dropout',
]);

export interface ChainStep {
  node: CompiledNode;
  kind: ChainKind;
  /** Values per sample entering and leaving the node. */
  inSize: number;
  outSize: number;
  /** The node's output depends on something trainable (so a gradient flows back into it). */
  outNeedsGrad: boolean;
  /** A gradient is wanted for the node's input. */
  inNeedsGrad: boolean;
}

/**
 * The nodes of a plain chain of built-in layers (Input → … → output, each node feeding only the
 * next), in order, or null when the graph is anything else (merges, plugins, recompute
 * segments, layers without a fused kernel). Such chains — most networks people build — train
 * through a fused plan with buffers reused step after step; every other graph uses the tape.
 */
export function chainSteps(graph: CompiledGraph): ChainStep[] | null {
  const nodes = graph.nodes;
  if (nodes[0] !== graph.input || nodes[nodes.length - 1] !== graph.output) return null;
  const steps: ChainStep[] = [];
  let prev = nodes[0];
  let needs = false; // the Input carries no gradient
  for (let i = 1; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.source !== 'builtin' || !KINDS.has(n.type) || n.memory === 'recompute') return null;
    if (n.inputs.length !== 1 || n.inputs[0] !== prev.id) return null;
    if (n.type === 'Dense' && n.inShapes[0].length !== 1) return null;
    const inNeedsGrad: boolean = !n.detach && needs;
    const outNeedsGrad: boolean = inNeedsGrad || n.trainable;
    steps.push({
      node: n,
      kind: n.type as ChainKind,
      inSize: n.inShapes[0].reduce((p, d) => p * d, 1),
      outSize: n.outShape.reduce((p, d) => p * d, 1),
      outNeedsGrad,
      inNeedsGrad,
    });
    needs = outNeedsGrad;
    prev = n;
  }
  // Every node must be used by the next one only (a chain, not a tree).
  const uses = new Map<string, number>();
  for (const n of nodes) for (const s of n.inputs) uses.set(s, (uses.get(s) ?? 0) + 1);
  for (const n of nodes.slice(0, -1)) if (uses.get(n.id) !== 1) return null;
  return steps.length ? steps : null;
}
