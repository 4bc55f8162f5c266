// The builder's adapter between the graph store and vue-flow. vue-flow is only a view: these pure
// functions turn the project (nodes, inputs, layout, summary, issues, selection) into vue-flow
// nodes and edges, and vue-flow's events into graph-store edits.
import { formatInteger } from '../../core/util/number-format';
import { type Edge, type EdgeChange, MarkerType, type Node, type NodeChange } from '@vue-flow/core';
import type { ProjectInput } from '../../core/graph/schema';
import { formatShape } from '../../core/tensor/tensor';
import type { ConnectCheck } from '../stores/graph-connect';
import type { GraphEdit, Position } from '../stores/graph-edits';
import { tidyLayout } from '../stores/graph-layout';
import { layerCheckFailure } from '../panels/plugins/plugin-check';
import type { LayerInfo } from '../stores/layer-catalog';
import type { CompiledSummary, ProjectIssue } from '../worker/protocol-types';

export const LAYER_NODE = 'layer';
export const SHAPE_EDGE = 'shape';
export const IN_HANDLE = 'in';
export const OUT_HANDLE = 'out';
// Arrow heads are SVG markers drawn by vue-flow: they take a colour, not a CSS variable.
const EDGE_COLOR = '#9aa3b2';
const EDGE_ERROR_COLOR = '#d92d20';
/** Roughly a node's size on the canvas: a dropped layer is centred on the pointer. */
export const NODE_SIZE = { width: 120, height: 56 };

/** What a layer node draws. */
export interface LayerNodeData {
  id: string;
  layerType: string;
  /** '[8]', or '?' while the shape is unknown. */
  shape: string;
  /** Learnable parameters, null while unknown. */
  params: number | null;
  frozen: boolean;
  detach: boolean;
  recompute: boolean;
  /** The plugin file of a plugin layer ('app:wacky.js'), else null. */
  plugin: string | null;
  /** `plugin broken: …` when the node's plugin is broken or gone. */
  pluginBroken: string | null;
  /**
   * "Layer TanhGate failed its gradient check: gradient of x is wrong at …" when the node's
   * plugin layer failed the check run as its file loaded; null otherwise.
   */
  checkFailed: string | null;
  /** False for Input: no input handle. */
  takesInputs: boolean;
  /** Merge layers take several inputs: the handle shows how many it has. */
  multiInput: boolean;
  inputCount: number;
  isOutput: boolean;
  /** The loss the output feeds ('BCE'), for the output marker's tooltip. */
  loss: string;
  /** Every problem with this node (the last check's, the run's). */
  errors: string[];
  /** Not on the way to the output: drawn, not trained. */
  unused: boolean;
  /** While a connection is dragged: can this node be its other end? */
  connect: { ok: boolean; reason?: string } | null;
}

export interface ShapeEdgeData {
  /** The shape flowing along the edge ('[8]'), or '' while unknown. */
  shape: string;
  errors: string[];
  /** Which input of the target this is (1-based), shown when the target has several. */
  slot: number | null;
  /** A layer dragged from the palette would be inserted on this edge if dropped now. */
  insert?: boolean;
}

// `selected` is not part of vue-flow's input types, but it is merged into its nodes and edges:
// that is how the store's selection reaches the canvas.
export type LayerFlowNode = Node<LayerNodeData> & { type: typeof LAYER_NODE; selected: boolean };
export type ShapeFlowEdge = Edge<ShapeEdgeData> & { type: typeof SHAPE_EDGE; selected: boolean };

/** An edge of the project, as the graph store lists them. */
export interface ProjectEdge {
  id: string;
  from: string;
  to: string;
  index: number;
}

/** A connection being dragged from a node's handle. */
export interface Connecting {
  nodeId: string;
  handleType: 'source' | 'target';
}

export interface CanvasInput {
  project: ProjectInput;
  edges: readonly ProjectEdge[];
  summary: CompiledSummary | null;
  issuesByNode: Readonly<Record<string, readonly ProjectIssue[]>>;
  issuesByEdge: Readonly<Record<string, readonly ProjectIssue[]>>;
  selection: readonly string[];
  selectedEdges?: ReadonlySet<string>;
  layerInfo(type: string): LayerInfo | undefined;
  /** Why a node of this type cannot be used (its plugin broke or went away), else null. */
  typeProblem(type: string): string | null;
  /** The node the last run failed at, with the message. */
  runError?: { node: string; message: string } | null;
  /** Positions that win over the layout (nodes being dragged right now). */
  positions?: Readonly<Record<string, Position>>;
  /** Marks for a connection being dragged (see connectMarks). */
  connectMarks?: Readonly<Record<string, { ok: boolean; reason?: string }>> | null;
  /** The edge a layer dragged from the palette would be inserted on. */
  insertTarget?: string | null;
}

export function shapeText(shape: readonly number[] | undefined): string {
  return shape ? formatShape(shape) : '?';
}

export function paramsText(n: number): string {
  return `${formatInteger(n)} ${n === 1 ? 'param' : 'params'}`;
}

/** "plugin broken: …" from the plugins store's explanation of a missing type. */
export function pluginProblemText(problem: string): string {
  const broken = / is broken: ([\s\S]*)$/.exec(problem);
  if (broken) return `plugin broken: ${broken[1]}`;
  return `plugin missing: ${problem}`;
}

/**
 * Where every node sits: its layout entry, or (for nodes without one) the tidy layout when no
 * node has a place yet, else a row under the placed ones.
 */
export function nodePositions(p: ProjectInput): Record<string, Position> {
  const layout = p.layout ?? {};
  const missing = p.nodes.filter((n) => !layout[n.id]);
  const out: Record<string, Position> = {};
  if (missing.length === 0) {
    for (const n of p.nodes) out[n.id] = { ...layout[n.id] };
    return out;
  }
  const placed = p.nodes.filter((n) => layout[n.id]);
  const tidy = tidyLayout(p);
  if (placed.length === 0) return tidy;
  const bottom = Math.max(...placed.map((n) => layout[n.id].y)) + NODE_SIZE.height * 2;
  const left = Math.min(...placed.map((n) => layout[n.id].x));
  let i = 0;
  for (const n of p.nodes) {
    out[n.id] = layout[n.id]
      ? { ...layout[n.id] }
      : { x: left + i++ * (NODE_SIZE.width + 40), y: bottom };
  }
  return out;
}

/** The accessible name of a node: "Dense fc1, output [8]" and what else is worth hearing. */
export function nodeLabel(d: LayerNodeData): string {
  const parts = [`${d.layerType} ${d.id}, output ${d.shape}`];
  if (d.params) parts.push(paramsText(d.params));
  if (d.frozen) parts.push('frozen');
  if (d.detach) parts.push('detached');
  if (d.recompute) parts.push('recomputed');
  if (d.plugin) parts.push('plugin layer');
  if (d.checkFailed) parts.push(d.checkFailed);
  if (d.isOutput) parts.push('network output');
  if (d.errors.length) parts.push(`error: ${d.errors.join('; ')}`);
  return parts.join(', ');
}

/** The project as vue-flow nodes. */
export function toFlowNodes(input: CanvasInput): LayerFlowNode[] {
  const { project: p, summary } = input;
  const positions = nodePositions(p);
  const selected = new Set(input.selection);
  const loss = p.loss?.type ?? '';
  return p.nodes.map((n) => {
    const info = input.layerInfo(n.type);
    const known = summary?.nodes[n.id];
    const problem = input.typeProblem(n.type);
    const errors = [...new Set((input.issuesByNode[n.id] ?? []).map((i) => i.message))];
    const run = input.runError;
    if (run && run.node === n.id && !errors.includes(run.message)) errors.push(run.message);
    const inputCount = n.inputs?.length ?? 0;
    const max = info ? (info.inputs.max ?? Infinity) : 1;
    const data: LayerNodeData = {
      id: n.id,
      layerType: n.type,
      shape: shapeText(known?.outShape),
      params: known ? known.paramCount : null,
      frozen: n.frozen === true,
      detach: n.detach === true,
      recompute: n.memory === 'recompute',
      plugin: info && info.source !== 'builtin' ? info.source : null,
      pluginBroken: problem ? pluginProblemText(problem) : null,
      checkFailed: layerCheckFailure(n.type, info?.check),
      takesInputs: max > 0,
      multiInput: max > 1,
      inputCount,
      isOutput: p.output === n.id,
      loss,
      errors,
      unused: known ? !known.used : false,
      connect: input.connectMarks?.[n.id] ?? null,
    };
    return {
      id: n.id,
      type: LAYER_NODE,
      position: { ...(input.positions?.[n.id] ?? positions[n.id]) },
      selected: selected.has(n.id),
      data,
      ariaLabel: nodeLabel(data),
    };
  });
}

/** The project's edges as vue-flow edges, each labelled with the shape flowing along it. */
export function toFlowEdges(input: CanvasInput): ShapeFlowEdge[] {
  const { summary } = input;
  const byId = new Map(input.project.nodes.map((n) => [n.id, n]));
  return input.edges
    .filter((e) => byId.has(e.from) && byId.has(e.to))
    .map((e) => {
      const shape = summary?.nodes[e.from]?.outShape;
      const errors = (input.issuesByEdge[e.id] ?? []).map((i) => i.message);
      const count = byId.get(e.to)?.inputs?.length ?? 0;
      const text = shape ? formatShape(shape) : '';
      return {
        id: e.id,
        type: SHAPE_EDGE,
        source: e.from,
        target: e.to,
        sourceHandle: OUT_HANDLE,
        targetHandle: IN_HANDLE,
        selected: input.selectedEdges?.has(e.id) ?? false,
        ...(input.insertTarget === e.id ? { class: 'insert-target' } : {}),
        data: {
          shape: text,
          errors,
          slot: count > 1 ? e.index + 1 : null,
          ...(input.insertTarget === e.id ? { insert: true } : {}),
        },
        markerEnd: {
          type: MarkerType.ArrowClosed,
          color: errors.length ? EDGE_ERROR_COLOR : EDGE_COLOR,
          width: 14,
          height: 14,
        },
        ariaLabel:
          `Edge ${e.from} → ${e.to}${text ? `, ${text}` : ''}` +
          (errors.length ? `, error: ${errors.join('; ')}` : ''),
      };
    });
}

/**
 * While a connection is dragged from `c`: for every other node, whether it can be the other end
 * and, if not, why. `check(from, to)` is the graph store's canConnect.
 */
export function connectMarks(
  p: ProjectInput,
  c: Connecting,
  check: (from: string, to: string) => ConnectCheck,
): Record<string, { ok: boolean; reason?: string }> {
  const out: Record<string, { ok: boolean; reason?: string }> = {};
  for (const n of p.nodes) {
    if (n.id === c.nodeId) continue;
    const r = c.handleType === 'source' ? check(c.nodeId, n.id) : check(n.id, c.nodeId);
    out[n.id] = r.ok ? { ok: true } : { ok: false, reason: r.reason };
  }
  return out;
}

// ---- vue-flow events → edits ----

const round = (q: Position): Position => ({ x: Math.round(q.x), y: Math.round(q.y) });

/**
 * Nodes dropped after a drag (or nudged): their new places as one edit; null when none moved
 * from where `layout` has them (a click is not a move).
 */
export function moveEdit(
  nodes: readonly { id: string; position: Position }[],
  layout: Readonly<Record<string, Position>> = {},
): GraphEdit | null {
  const positions: Record<string, Position> = {};
  for (const n of nodes) {
    const q = round(n.position);
    const was = layout[n.id];
    if (!was || was.x !== q.x || was.y !== q.y) positions[n.id] = q;
  }
  return Object.keys(positions).length ? { type: 'moveNodes', positions } : null;
}

/** Position changes that are not part of a drag (keyboard nudges): the final places. */
export function nudgedPositions(
  changes: readonly NodeChange[],
): { id: string; position: Position }[] {
  const out: { id: string; position: Position }[] = [];
  for (const c of changes) {
    if (c.type === 'position' && c.dragging === false && c.position) {
      out.push({ id: c.id, position: c.position });
    }
  }
  return out;
}

/** A connection drawn between two handles: `source`'s output feeds `target`. */
export function connectEdit(c: { source: string; target: string }): GraphEdit {
  return { type: 'connect', from: c.source, to: c.target };
}

/**
 * Deleting a selection of nodes and edges: the nodes go (with their edges); selected edges
 * between nodes that stay are disconnected.
 */
export function deleteEdits(
  nodeIds: readonly string[],
  edgeIds: Iterable<string>,
  edges: readonly ProjectEdge[],
): GraphEdit[] {
  const gone = new Set(nodeIds);
  const out: GraphEdit[] = [];
  if (gone.size) out.push({ type: 'removeNodes', ids: [...gone] });
  const byId = new Map(edges.map((e) => [e.id, e]));
  for (const id of edgeIds) {
    const e = byId.get(id);
    if (e && !gone.has(e.from) && !gone.has(e.to)) {
      out.push({ type: 'disconnect', from: e.from, to: e.to });
    }
  }
  return out;
}

/** The node selection after vue-flow's select changes; null when there were none. */
export function selectionAfter(
  current: readonly string[],
  changes: readonly (NodeChange | EdgeChange)[],
): string[] | null {
  const select = changes.filter((c) => c.type === 'select');
  if (select.length === 0) return null;
  const next = new Set(current);
  for (const c of select) {
    if (c.selected) next.add(c.id);
    else next.delete(c.id);
  }
  return [...next];
}

/** A layer dropped at a canvas point: a new node centred there. */
export function dropEdit(nodeType: string, at: Position): GraphEdit {
  return {
    type: 'addNode',
    nodeType,
    position: round({ x: at.x - NODE_SIZE.width / 2, y: at.y - NODE_SIZE.height / 2 }),
  };
}

/** A place to the right of `node` that no other node takes (stepping down when taken). */
export function besidePosition(
  positions: Readonly<Record<string, Position>>,
  node: string,
): Position {
  const at = positions[node] ?? { x: 0, y: 0 };
  const x = at.x + NODE_SIZE.width + 50;
  const taken = Object.values(positions);
  let y = at.y;
  const clash = (yy: number) =>
    taken.some((q) => Math.abs(q.x - x) < NODE_SIZE.width && Math.abs(q.y - yy) < NODE_SIZE.height);
  for (let i = 0; i < 50 && clash(y); i++) y += NODE_SIZE.height + 30;
  return { x, y };
}

/**
 * How far to move pasted nodes so that none lands on a node already there: down and to the
 * right in steps, the first step where the clip's nodes are all clear.
 */
export function pasteOffset(clip: readonly Position[], taken: readonly Position[]): Position {
  const overlaps = (a: Position, b: Position) =>
    Math.abs(a.x - b.x) < NODE_SIZE.width && Math.abs(a.y - b.y) < NODE_SIZE.height;
  let offset = { x: 40, y: NODE_SIZE.height + 24 };
  for (let k = 1; k <= 50; k++) {
    offset = { x: 40 * k, y: (NODE_SIZE.height + 24) * k };
    const moved = clip.map((q) => ({ x: q.x + offset.x, y: q.y + offset.y }));
    if (!moved.some((m) => taken.some((t) => overlaps(m, t)))) return offset;
  }
  return offset;
}
