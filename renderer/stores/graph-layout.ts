// An automatic tidy layout: columns by depth (longest path from an input), rows ordered so that
// edges cross little (each node near the average row of its inputs). With the nodes' measured
// sizes, each column is as wide as its widest node and the rows as tall as the tallest, so the
// layout stays compact and can be shown at a readable zoom.
import type { ProjectInput } from '../../core/graph/schema';

type Position = { x: number; y: number };

export interface TidyOptions {
  /** Without sizes: the distance from one column (row) to the next. */
  columnWidth?: number;
  rowHeight?: number;
  origin?: Position;
  /** Measured node sizes on the canvas; columns and rows are spaced by them when given. */
  sizes?: Readonly<Record<string, { width: number; height: number }>>;
  /** The space between two columns (rows) of measured nodes. */
  gap?: { x: number; y: number };
}

export function tidyLayout(
  p: Pick<ProjectInput, 'nodes'>,
  o: TidyOptions = {},
): Record<string, Position> {
  const colW = o.columnWidth ?? 200;
  const rowH = o.rowHeight ?? 110;
  const origin = o.origin ?? { x: 40, y: 40 };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: the validation reports it
    visiting.add(id);
    const ins = (byId.get(id)?.inputs ?? []).filter((s) => byId.has(s));
    const d = ins.length ? 1 + Math.max(...ins.map(depthOf)) : 0;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns: string[][] = [];
  for (const n of p.nodes) (columns[depthOf(n.id)] ??= []).push(n.id);
  const row = new Map<string, number>();
  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  columns.forEach((col, x) => {
    if (!col) return;
    if (x > 0) {
      const key = (id: string) => {
        const ins = (byId.get(id)?.inputs ?? []).filter((s) => row.has(s));
        return ins.length ? ins.reduce((a, s) => a + row.get(s)!, 0) / ins.length : 1e9;
      };
      col.sort((a, b) => key(a) - key(b));
    }
    const top = (tallest - col.length) / 2;
    col.forEach((id, i) => row.set(id, top + i));
  });
  // Where each column starts, and how far apart rows are.
  const sizes = o.sizes;
  const gap = o.gap ?? { x: 44, y: 30 };
  const colX: number[] = [];
  let rowStep = rowH;
  if (sizes) {
    let x = origin.x;
    columns.forEach((col, i) => {
      colX[i] = x;
      const widest = Math.max(0, ...(col ?? []).map((id) => sizes[id]?.width ?? 0));
      x += (widest || colW - gap.x) + gap.x;
    });
    const tallestNode = Math.max(0, ...p.nodes.map((n) => sizes[n.id]?.height ?? 0));
    if (tallestNode) rowStep = tallestNode + gap.y;
  }
  const out: Record<string, Position> = {};
  for (const n of p.nodes) {
    const d = depth.get(n.id)!;
    out[n.id] = {
      x: sizes ? colX[d] : origin.x + d * colW,
      y: origin.y + row.get(n.id)! * rowStep,
    };
  }
  return out;
}
