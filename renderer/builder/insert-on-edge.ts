// Dropping a layer onto a connection puts it in between: `from` feeds the new layer, and the new
// layer takes `from`'s place among `to`'s inputs (the same slot, so merge layers keep their
// order). The new node goes one column right of `from`, and `to` with everything after it moves
// right to make room when it has to. One edit, so one undo step.
import type { ProjectInput } from '../../core/graph/schema';
import type { GraphEdit, Position } from '../stores/graph-edits';
import type { LayerInfo } from '../stores/layer-catalog';
import { NODE_SIZE, type ProjectEdge, nodePositions } from './adapter';

export type InsertPlan = { ok: true; edit: GraphEdit } | { ok: false; reason: string };

/** From one column of nodes to the next, as the examples and Tidy lay them out. */
const COLUMN = NODE_SIZE.width + 40;

/**
 * The edit that inserts a layer described by `info` on `edge`; refused, with the reason, for a
 * layer that cannot take exactly one input.
 *
 * @example insertOnEdge(project, tanhInfo, { id: 'fc1->fc2', from: 'fc1', to: 'fc2', index: 0 })
 */
export function insertOnEdge(p: ProjectInput, info: LayerInfo, edge: ProjectEdge): InsertPlan {
  const { min, max } = info.inputs;
  if (min > 1 || max === 0) {
    const takes =
      max === 0 ? 'takes no input' : `needs ${min === max ? min : `at least ${min}`} inputs`;
    return { ok: false, reason: `${info.type} ${takes}, so it cannot sit on one connection` };
  }
  const at = nodePositions(p);
  const from = at[edge.from] ?? { x: 0, y: 0 };
  const position = { x: from.x + COLUMN, y: from.y };
  const insert: GraphEdit = {
    type: 'insertNode',
    nodeType: info.type,
    from: edge.from,
    to: edge.to,
    position,
  };
  const dx = position.x + COLUMN - (at[edge.to]?.x ?? Infinity);
  if (!(dx > 0)) return { ok: true, edit: insert };
  const moved: Record<string, Position> = {};
  for (const id of downstream(p, edge.to)) if (at[id]) moved[id] = { ...at[id], x: at[id].x + dx };
  return {
    ok: true,
    edit: {
      type: 'batch',
      label: `Insert ${info.type} between ${edge.from} and ${edge.to}`,
      edits: [insert, { type: 'moveNodes', positions: moved }],
    },
  };
}

/** `id` and every node it feeds, directly or not. */
function downstream(p: ProjectInput, id: string): Set<string> {
  const seen = new Set<string>([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const n of p.nodes) {
      if (seen.has(n.id) || !n.inputs?.some((s) => seen.has(s))) continue;
      seen.add(n.id);
      grew = true;
    }
  }
  return seen;
}
