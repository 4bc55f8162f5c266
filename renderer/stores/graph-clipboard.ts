// Copy and paste of nodes: a clip holds the selected nodes with the edges among them; pasting
// gives every node a fresh id and rewires those edges to the new ids.
import type { ProjectInput } from '../../core/graph/schema';
import { clonePlain } from './clone';
import { nextNodeId } from './graph-ids';

type GraphNode = ProjectInput['nodes'][number];
type Position = { x: number; y: number };

export const CLIP_FORMAT = 'backprop-lab.nodes';

export interface Clip {
  format: typeof CLIP_FORMAT;
  version: 1;
  nodes: GraphNode[];
  layout: Record<string, Position>;
}

/** The nodes `ids` (in project order) and the edges among them; edges from outside are cut. */
export function copyNodes(p: ProjectInput, ids: Iterable<string>): Clip {
  const chosen = new Set(ids);
  const nodes = p.nodes
    .filter((n) => chosen.has(n.id))
    .map((n) => {
      const { inputs, ...rest } = clonePlain(n);
      const kept = (inputs ?? []).filter((s) => chosen.has(s));
      return kept.length ? { ...rest, inputs: kept } : rest;
    });
  const layout: Record<string, Position> = {};
  for (const n of nodes) {
    const q = p.layout?.[n.id];
    if (q) layout[n.id] = { x: q.x, y: q.y };
  }
  return { format: CLIP_FORMAT, version: 1, nodes, layout };
}

/** New ids for the clip's nodes, not clashing with `taken`, edges rewired, moved by `offset`. */
export function remapClip(
  clip: Clip,
  taken: ReadonlySet<string>,
  offset: Position = { x: 40, y: 40 },
): { nodes: GraphNode[]; layout: Record<string, Position>; ids: string[] } {
  const used = new Set(taken);
  const map = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = nextNodeId(n.type, used);
    used.add(id);
    map.set(n.id, id);
  }
  const nodes = clip.nodes.map((n) => {
    const { inputs, ...rest } = clonePlain(n);
    const kept = (inputs ?? []).filter((s) => map.has(s)).map((s) => map.get(s)!);
    return { ...rest, id: map.get(n.id)!, ...(kept.length ? { inputs: kept } : {}) };
  });
  const layout: Record<string, Position> = {};
  clip.nodes.forEach((n, i) => {
    const q = clip.layout[n.id] ?? { x: 0, y: i * 80 };
    layout[map.get(n.id)!] = { x: q.x + offset.x, y: q.y + offset.y };
  });
  return { nodes, layout, ids: nodes.map((n) => n.id) };
}

/** A clip from clipboard text, or null when the text is not one. */
export function parseClip(text: string): Clip | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const c = v as Partial<Clip> | null;
  if (c?.format !== CLIP_FORMAT || !Array.isArray(c.nodes)) return null;
  const ok = c.nodes.every(
    (n) =>
      typeof n === 'object' &&
      n !== null &&
      typeof n.id === 'string' &&
      typeof n.type === 'string' &&
      (n.inputs === undefined ||
        (Array.isArray(n.inputs) && n.inputs.every((s) => typeof s === 'string'))),
  );
  if (!ok) return null;
  const layout = typeof c.layout === 'object' && c.layout !== null ? c.layout : {};
  return { format: CLIP_FORMAT, version: 1, nodes: c.nodes, layout };
}
