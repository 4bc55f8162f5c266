// An automatic tidy layout: columns by depth (longest path from an input), rows ordered so that
// edges cross little (each node near the average row of its inputs).
import type { ProjectInput } from '../../core/graph/schema';

type Position = { x: number; y: number };

export interface TidyOptions {
  columnWidth?: number;
  rowHeight?: number;
  origin?: Position;
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
  const out: Record<string, Position> = {};
  for (const n of p.nodes) {
    out[n.id] = { x: origin.x + depth.get(n.id)! * colW, y: origin.y + row.get(n.id)! * rowH };
  }
  return out;
}
