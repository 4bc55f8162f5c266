// Which nodes lie between two nodes of a network, and the paths from one to the other: what a
// Jacobian ∂(later)/∂(earlier) sums over. A pair that is not on a path gets its reason.
import type { CompiledGraph } from '../graph/compile';

/** The nodes on some path from `from` to `to` (both included), inputs first. */
export function nodesBetween(graph: CompiledGraph, from: string, to: string): string[] {
  const down = new Set<string>([from]);
  for (const n of graph.nodes) if (n.inputs.some((i) => down.has(i))) down.add(n.id);
  const up = new Set<string>([to]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (up.has(n.id)) for (const s of n.inputs) up.add(s);
  }
  return graph.nodes.map((n) => n.id).filter((id) => down.has(id) && up.has(id));
}

/**
 * Why ∂to/∂from cannot be shown, or null when it can: unknown nodes, the same node twice, or
 * `to` not depending on `from` (with a hint when the pair is the other way round).
 */
export function pathRefusal(graph: CompiledGraph, from: string, to: string): string | null {
  for (const id of [from, to]) {
    if (!graph.byId.has(id)) {
      const known = graph.nodes.map((n) => n.id).join(', ');
      return `there is no node '${id}' in this network (nodes: ${known})`;
    }
  }
  if (from === to) {
    return `'${from}' is both ends: pick a later node whose output depends on it (∂${from}/∂${from} is the identity)`;
  }
  if (nodesBetween(graph, from, to).length === 0) {
    const back = nodesBetween(graph, to, from).length > 0;
    return back
      ? `'${to}' comes before '${from}': '${from}' depends on '${to}', not the other way round (swap them)`
      : `'${from}' and '${to}' are not on a path: '${to}' does not depend on '${from}'`;
  }
  return null;
}

/** How many paths lead from `from` to `to` (a product of factors each). */
export function countPaths(graph: CompiledGraph, from: string, to: string): number {
  const between = nodesBetween(graph, from, to);
  const inside = new Set(between);
  const count = new Map<string, number>([[from, 1]]);
  for (const id of between.slice(1)) {
    let c = 0;
    // A node fed twice by the same input has one edge (one factor) from it.
    for (const s of new Set(graph.byId.get(id)!.inputs)) if (inside.has(s)) c += count.get(s) ?? 0;
    count.set(id, c);
  }
  return count.get(to) ?? 0;
}

/**
 * The first `max` paths from `from` to `to`, each its nodes in order. A node that takes the
 * same input twice (Add(a, a)) is one edge: its factor sums both slots.
 */
export function listPaths(graph: CompiledGraph, from: string, to: string, max: number): string[][] {
  const inside = new Set(nodesBetween(graph, from, to));
  const next = new Map<string, string[]>();
  for (const n of graph.nodes) {
    if (!inside.has(n.id)) continue;
    for (const s of new Set(n.inputs)) {
      if (inside.has(s)) next.set(s, [...(next.get(s) ?? []), n.id]);
    }
  }
  const out: string[][] = [];
  const walk = (path: string[]) => {
    if (out.length >= max) return;
    const last = path[path.length - 1];
    if (last === to) {
      out.push(path);
      return;
    }
    for (const n of next.get(last) ?? []) walk([...path, n]);
  };
  if (inside.has(from)) walk([from]);
  return out;
}
