// The Dense layers as a graph of neurons: columns of dots (the units a Dense layer computes,
// together with the activations that follow it unit by unit) joined by one line per weight.
import type { DenseWeights, NodeInfo } from '../inspect-types';

export interface NetColumn {
  /** The node whose output the column's units are (a Dense node, the Input, a merge). */
  id: string;
  /** Nodes sharing these units: the Dense node and the activations after it. */
  members: string[];
  n: number;
}

export interface NetLink {
  node: string;
  from: number;
  to: number;
  out: number;
  in: number;
  weight: Float32Array;
}

function width(n: NodeInfo): number {
  return n.outShape.reduce((p, d) => p * d, 1);
}

/**
 * Columns and links for the Dense layers of a network: x | fc1·h1 | fc2·y for an MLP. A merge
 * node starts its own column; a Dense layer always links the column of its input to its own.
 *
 * @example networkColumns(result.dense, result.nodes)
 */
export function networkColumns(
  dense: DenseWeights[],
  nodes: NodeInfo[],
): { columns: NetColumn[]; links: NetLink[] } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const group = (id: string): string => {
    const n = byId.get(id);
    // Nodes that keep the units of their input (activations) share its column.
    if (!n || !n.sameUnits || n.inputs.length !== 1) return id;
    return group(n.inputs[0]);
  };
  const columns: NetColumn[] = [];
  const index = new Map<string, number>();
  const column = (id: string): number => {
    const known = index.get(id);
    if (known !== undefined) return known;
    const members = nodes.filter((n) => group(n.id) === id).map((n) => n.id);
    const n = byId.get(id);
    columns.push({ id, members: members.length ? members : [id], n: n ? width(n) : 0 });
    index.set(id, columns.length - 1);
    return columns.length - 1;
  };
  const links = dense.map((d) => {
    const from = column(group(d.input));
    const to = column(d.node);
    return { node: d.node, from, to, out: d.out, in: d.in, weight: d.weight };
  });
  return { columns, links };
}

export interface Point {
  x: number;
  y: number;
}

export interface NetLayout {
  /** Per column: the positions of the units drawn (at most `maxUnits`). */
  units: Point[][];
  /** Per column: the units left out. */
  hidden: number[];
  x: number[];
  radius: number;
}

/** Where each unit goes in a w×h area: columns spread across, units spread down. */
export function layoutNetwork(
  columns: { n: number }[],
  w: number,
  h: number,
  o: { maxUnits?: number; padX?: number; padTop?: number; padBottom?: number } = {},
): NetLayout {
  const maxUnits = o.maxUnits ?? 32;
  const padX = o.padX ?? 28,
    padTop = o.padTop ?? 22,
    padBottom = o.padBottom ?? 12;
  const k = columns.length;
  const x = columns.map((_, i) => (k === 1 ? w / 2 : padX + (i * (w - 2 * padX)) / (k - 1)));
  const most = Math.max(1, ...columns.map((c) => Math.min(c.n, maxUnits)));
  const span = h - padTop - padBottom;
  const radius = Math.max(2.5, Math.min(7, span / most / 2.6));
  const units = columns.map((c, i) => {
    const m = Math.min(c.n, maxUnits);
    const step = m > 1 ? Math.min(span / (m - 1), radius * 4) : 0;
    const top = padTop + (span - step * (m - 1)) / 2;
    return Array.from({ length: m }, (_, j) => ({ x: x[i], y: top + j * step }));
  });
  return { units, hidden: columns.map((c) => Math.max(0, c.n - maxUnits)), x, radius };
}

/** Distance from p to the segment a–b. */
export function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x,
    dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The unit under p (within its radius plus a little), as [column, unit]. */
export function unitAt(layout: NetLayout, p: Point, slack = 3): [number, number] | null {
  let best: [number, number] | null = null,
    bestD = layout.radius + slack;
  layout.units.forEach((col, c) =>
    col.forEach((u, j) => {
      const d = Math.hypot(p.x - u.x, p.y - u.y);
      if (d <= bestD) {
        bestD = d;
        best = [c, j];
      }
    }),
  );
  return best;
}

/**
 * The connection under p: [link, j (output unit), i (input unit)], the nearest within `slack`
 * px. `only` limits the search to one output unit (the picked neuron).
 */
export function edgeAt(
  layout: NetLayout,
  links: Pick<NetLink, 'from' | 'to'>[],
  p: Point,
  slack = 4,
  only?: { link: number; j: number },
): [number, number, number] | null {
  let best: [number, number, number] | null = null,
    bestD = slack;
  links.forEach((l, li) => {
    if (only && only.link !== li) return;
    const froms = layout.units[l.from],
      tos = layout.units[l.to];
    tos.forEach((b, j) => {
      if (only && only.j !== j) return;
      froms.forEach((a, i) => {
        const d = segmentDistance(p, a, b);
        if (d < bestD) {
          bestD = d;
          best = [li, j, i];
        }
      });
    });
  });
  return best;
}

export interface ColumnLabel {
  /** One or two lines (a Dense and its activations split over two when one is too wide). */
  lines: string[];
  /** Where the title starts (it is drawn left-aligned from here). */
  x: number;
}

/**
 * Column titles that never run into each other: each starts centred on its column (the first
 * and last flush with their outer units), a title too wide for the spacing of the columns is
 * split into its members on two lines, titles are pushed apart to keep a gap and inside
 * `width`, and a line that still has no room is cut with “…”.
 *
 * @example fitColumnLabels([['x'], ['dense1', 'sigmoid1']], [28, 160], 6, 300, (s) => s.length * 6)
 */
export function fitColumnLabels(
  members: string[][],
  x: number[],
  radius: number,
  width: number,
  measure: (text: string) => number,
  gap = 6,
): ColumnLabel[] {
  const k = members.length;
  const spacing = k > 1 ? Math.min(...x.slice(1).map((v, i) => v - x[i])) : width;
  const lines = members.map((m) => {
    const one = m.join('·');
    return measure(one) + gap <= spacing || m.length < 2 ? [one] : [m[0], m.slice(1).join('·')];
  });
  const w = lines.map((ls) => Math.max(...ls.map(measure)));
  const left = x.map((xi, i) =>
    k > 1 && i === 0 ? xi - radius : k > 1 && i === k - 1 ? xi + radius - w[i] : xi - w[i] / 2,
  );
  for (let i = 0; i < k; i++) {
    const floor = i > 0 ? left[i - 1] + w[i - 1] + gap : 0;
    left[i] = Math.max(left[i], floor);
  }
  for (let i = k - 1; i >= 0; i--) {
    const ceiling = i < k - 1 ? left[i + 1] - gap : width;
    left[i] = Math.max(0, Math.min(left[i], ceiling - w[i]));
  }
  return lines.map((ls, i) => {
    const room = (i < k - 1 ? left[i + 1] - gap : width) - left[i];
    return { lines: ls.map((l) => cut(l, room, measure)), x: left[i] };
  });
}

/** `text`, cut with “…” to fit `room` pixels. */
function cut(text: string, room: number, measure: (t: string) => number): string {
  if (measure(text) <= room) return text;
  for (let n = text.length - 1; n > 0; n--) {
    const t = `${text.slice(0, n)}…`;
    if (measure(t) <= room) return t;
  }
  return '…';
}
