// Shapes for every node that can have one, even while the rest of the graph is unfinished or
// wrong: the builder draws shapes on a half-built network, where core's compileProject (which
// rightly refuses the whole project) would give none. Pure: used by the worker (with plugin
// code) and by the UI thread (built-ins only; plugin shapes come from the worker's last answer).
import { resolveParams } from '../../core/graph/params';
import type { LayerDefinition, ParamSpec } from '../../core/layers/contract';
import { formatShape, sizeOf } from '../../core/tensor/tensor';
import type { ProjectInput } from '../../core/graph/schema';
import type { CompiledSummary, SummaryNode } from './protocol-types';

export interface LayerShapeInfo {
  params?: Record<string, ParamSpec>;
  /** `max` is Infinity for merge layers. */
  inputs: { min: number; max: number };
  /** Absent when the layer's code is elsewhere (plugin layers, seen from the UI thread). */
  build?: LayerDefinition['build'];
}

export type LayerLookup = (type: string) => LayerShapeInfo | undefined;

export type ProblemKind = 'type' | 'arity' | 'params' | 'build' | 'cycle';

export interface InferredNode {
  /** Null when unknown: an upstream node has no shape, or this node has a problem. */
  outShape: number[] | null;
  inShapes: number[][] | null;
  weights: Record<string, number[]> | null;
  paramCount: number | null;
  problem?: { kind: ProblemKind; message: string; field?: string };
}

export interface Inference {
  nodes: Record<string, InferredNode>;
  /** Node ids in an order where inputs come first (nodes on a cycle are left out). */
  order: string[];
  cycle: string[] | null;
}

type Node = ProjectInput['nodes'][number];

/**
 * Infer shapes node by node. `known` supplies shapes for layers whose build is not available
 * here, used only when their input shapes are still the ones they were computed for.
 */
export function inferShapes(
  project: Pick<ProjectInput, 'nodes'>,
  lookup: LayerLookup,
  known?: Record<string, SummaryNode>,
): Inference {
  const byId = new Map<string, Node>();
  for (const n of project.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const { order, cycle } = topoOrder([...byId.values()], byId);
  const nodes: Record<string, InferredNode> = {};
  const unknown = (problem?: InferredNode['problem']): InferredNode => ({
    outShape: null,
    inShapes: null,
    weights: null,
    paramCount: null,
    ...(problem ? { problem } : {}),
  });
  for (const id of cycle ?? []) {
    nodes[id] = unknown({ kind: 'cycle', message: `on a cycle: ${cycle!.join(' → ')}` });
  }
  for (const id of order) {
    const n = byId.get(id)!;
    const info = lookup(n.type);
    if (!info) {
      nodes[id] = unknown({
        kind: 'type',
        message: `unknown layer type '${n.type}'`,
        field: 'type',
      });
      continue;
    }
    const ins = n.inputs ?? [];
    const { min, max } = info.inputs;
    if (ins.length < min || ins.length > max) {
      nodes[id] = unknown({ kind: 'arity', message: arityMessage(min, max, ins.length) });
      continue;
    }
    const { params, problems } = resolveParams(info.params, n.params);
    if (problems.length) {
      const p = problems[0];
      nodes[id] = unknown({ kind: 'params', message: p.message, field: `params.${p.key}` });
      continue;
    }
    const inShapes = ins.map((s) => nodes[s]?.outShape ?? null);
    if (inShapes.some((s) => s === null)) {
      nodes[id] = unknown();
      continue;
    }
    const shapes = inShapes as number[][];
    if (!info.build) {
      const k = known?.[id];
      nodes[id] =
        k && sameShapes(k.inShapes, shapes)
          ? { outShape: k.outShape, inShapes: shapes, weights: k.weights, paramCount: k.paramCount }
          : unknown();
      continue;
    }
    try {
      const built = info.build({ inShapes: shapes.map((s) => s.slice()), params });
      const out = built.outShape;
      if (!Array.isArray(out) || !out.every((d) => Number.isInteger(d) && d > 0)) {
        throw new Error(
          `build returned outShape ${JSON.stringify(out)}, not a list of positive whole numbers`,
        );
      }
      const weights: Record<string, number[]> = {};
      let paramCount = 0;
      for (const [name, spec] of Object.entries(built.weights ?? {})) {
        weights[name] = spec.shape.slice();
        paramCount += sizeOf(spec.shape);
      }
      nodes[id] = { outShape: out.slice(), inShapes: shapes, weights, paramCount };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const where = shapes.length
        ? ` (input shape${shapes.length > 1 ? 's' : ''} ${shapes.map(formatShape).join(', ')})`
        : '';
      nodes[id] = unknown({ kind: 'build', message: `${msg}${where}` });
    }
  }
  return { nodes, order, cycle };
}

/** The builder's summary: shapes of the nodes that have one, which feed the output, which train. */
export function summarize(
  project: Pick<ProjectInput, 'nodes' | 'output'>,
  inference: Inference,
  warnings: string[] = [],
): CompiledSummary {
  const byId = new Map<string, Node>();
  for (const n of project.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const used = new Set<string>();
  const reaches = new Set<string>();
  const walk = (id: string, grad: boolean) => {
    const n = byId.get(id);
    if (!n) return;
    const seenUsed = used.has(id);
    const seenGrad = reaches.has(id) || !grad;
    if (seenUsed && seenGrad) return;
    used.add(id);
    if (grad) reaches.add(id);
    for (const s of n.inputs ?? []) walk(s, grad && !n.detach);
  };
  if (inference.cycle === null) walk(project.output, true);
  const nodes: Record<string, SummaryNode> = {};
  for (const id of inference.order) {
    const i = inference.nodes[id];
    if (!i.outShape) continue;
    const n = byId.get(id)!;
    nodes[id] = {
      outShape: i.outShape,
      inShapes: i.inShapes ?? [],
      paramCount: i.paramCount ?? 0,
      weights: i.weights ?? {},
      used: used.has(id),
      trainable: used.has(id) && reaches.has(id) && !n.frozen && (i.paramCount ?? 0) > 0,
    };
  }
  return { nodes, warnings, ok: false, weightShapes: {} };
}

export function arityMessage(min: number, max: number, got: number): string {
  const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  return `takes ${want} input${want === '1' ? '' : 's'}, got ${got}`;
}

function sameShapes(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((s, i) => s.join() === b[i].join());
}

function topoOrder(
  nodes: Node[],
  byId: Map<string, Node>,
): { order: string[]; cycle: string[] | null } {
  const indeg = new Map<string, number>();
  const consumers = new Map<string, string[]>();
  for (const n of nodes) {
    indeg.set(n.id, 0);
    consumers.set(n.id, []);
  }
  for (const n of nodes) {
    for (const s of n.inputs ?? []) {
      if (!byId.has(s)) continue;
      indeg.set(n.id, indeg.get(n.id)! + 1);
      consumers.get(s)!.push(n.id);
    }
  }
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const c of consumers.get(id)!) {
      const d = indeg.get(c)! - 1;
      indeg.set(c, d);
      if (d === 0) queue.push(c);
    }
  }
  if (order.length === nodes.length) return { order, cycle: null };
  // Walk back along inputs inside the unsorted part until a node repeats.
  const left = new Set(nodes.filter((n) => indeg.get(n.id)! > 0).map((n) => n.id));
  let cur = [...left][0];
  const seen: string[] = [];
  while (!seen.includes(cur)) {
    seen.push(cur);
    cur = (byId.get(cur)!.inputs ?? []).find((s) => left.has(s))!;
  }
  const cyc = seen.slice(seen.indexOf(cur)).reverse();
  // Every unsorted node is unknown; the cycle itself is named.
  return { order, cycle: [...cyc, cyc[0]] };
}
