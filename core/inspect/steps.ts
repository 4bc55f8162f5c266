import type { CompiledGraph } from '../graph/compile';

/** One step of backprop walked by hand: a node's forward, the loss, or a node's backward. */
export type BackpropStep =
  { phase: 'forward'; node: string } | { phase: 'loss' } | { phase: 'backward'; node: string };

/**
 * The order in which one batch runs: every node forward (inputs first), the loss, then every
 * node backward in the reverse order, so that each node's δ is complete before it is passed on.
 *
 * @example backpropSteps(graph) // forward x, fc1, h1 · loss · backward h1, fc1, x
 */
export function backpropSteps(graph: Pick<CompiledGraph, 'nodes'>): BackpropStep[] {
  const ids = graph.nodes.map((n) => n.id);
  return [
    ...ids.map((node) => ({ phase: 'forward' as const, node })),
    { phase: 'loss' as const },
    ...ids.reverse().map((node) => ({ phase: 'backward' as const, node })),
  ];
}

/**
 * The lecture's layer index k of every node: the Input is layer 0, each linear layer (Dense, or
 * any whose Lab formulas say `linear`) starts the next layer (k = 1 + the largest k among its
 * inputs), and every other node belongs to the layer of its inputs (an activation after Dense k
 * is h⁽ᵏ⁾ = σ(h̃⁽ᵏ⁾)).
 *
 * @example layerIndices(graph).get('h1') // 1
 */
export function layerIndices(graph: Pick<CompiledGraph, 'nodes'>): Map<string, number> {
  const k = new Map<string, number>();
  for (const n of graph.nodes) {
    const below = n.inputs.reduce((m, s) => Math.max(m, k.get(s) ?? 0), 0);
    k.set(n.id, n.def.lab?.linear ? below + 1 : below);
  }
  return k;
}
