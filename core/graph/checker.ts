// The one graph checker: ids, layer types, inputs and their count, parameters, topological
// order, cycles, shapes and reachability, worded once. compileProject refuses a project with any
// problem on the way to the output; nodes that do not feed the output are warned about and left
// out, whatever their problems. The builder's live checks (on the UI thread, where plugin code
// never runs) show every shape it can find on a half-built network; the loose check of a file the
// schema refused lists its network mistakes too. All three call checkGraph.
import type { BuildArgs, BuildResult, ParamSpec, Params, WeightSpec } from '../layers/contract';
import { arity } from '../layers/contract';
import type { LayerRegistry } from '../layers/registry';
import { formatShape, sizeOf } from '../tensor/tensor';
import { resolveParams } from './params';
import type { ProjectIssue } from './parse';

/** What the checker needs to know of a layer type. */
export interface LayerShapeInfo {
  params?: Record<string, ParamSpec>;
  /** How many inputs; `max` is Infinity for merge layers. */
  inputs: { min: number; max: number };
  /** Data enters the graph here (the Input layer): a project has exactly one such node. */
  entry?: boolean;
  /** Absent when the layer's code is elsewhere (plugin layers, seen from the UI thread). */
  build?(args: BuildArgs): BuildResult;
  /** 'builtin', or the plugin file a failing build is blamed on. */
  source?: string;
}

/** The layer types a graph may use. */
export interface LayerTable {
  get(type: string): LayerShapeInfo | undefined;
  /** Every type, for the message about an unknown one. */
  types(): string[];
}

/** Shapes computed elsewhere (by the worker, for plugin layers the UI thread cannot build). */
export interface KnownShapes {
  inShapes: number[][];
  outShape: number[];
  weights: Record<string, number[]>;
}

/** A node as the checker reads it: a project file's node, maybe half-built. */
export interface GraphNodeInput {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  inputs?: string[];
  frozen?: boolean;
  detach?: boolean;
}

export type ProblemKind = 'id' | 'type' | 'input' | 'arity' | 'params' | 'build' | 'cycle';

export interface NodeProblem {
  kind: ProblemKind;
  message: string;
  /** The field of the node it is about (`type`, `inputs[1]`, `params.units`); absent: the node. */
  field?: string;
}

export interface CheckedNode {
  id: string;
  type: string;
  /** Where the node is in the project's list. */
  index: number;
  info: LayerShapeInfo | undefined;
  /** Parameter values with defaults filled in; null when they have problems. */
  params: Params | null;
  /** Null when unknown: an upstream node has no shape, or this node has a problem. */
  inShapes: number[][] | null;
  outShape: number[] | null;
  weights: Record<string, WeightSpec> | null;
  paramCount: number | null;
  problems: NodeProblem[];
  /** It feeds the output. */
  used: boolean;
  /** Its weights get gradients: used, a gradient reaches it (no detach on the way), not frozen. */
  trainable: boolean;
}

export interface GraphCheck {
  /** Every node by id (the first of several that share an id). */
  nodes: Map<string, CheckedNode>;
  /** Node ids in an order where inputs come first (nodes on or behind a cycle are left out). */
  order: string[];
  /** One cycle, as a path that ends where it starts; null when there is none. */
  cycle: string[] | null;
  /**
   * The ids of the nodes where data enters: the one that feeds the output when exactly one
   * does, else all (a project that compiles has exactly one).
   */
  entries: string[];
  /** Each node's problems, by its place in the list (a second node with a used id has its own). */
  problemsAt: NodeProblem[][];
  /**
   * Every problem that stops training, placed and worded as a project file's, in the order a
   * reader fixes them.
   */
  issues: ProjectIssue[];
  /**
   * What does not stop training: each node that does not feed the output (once the output
   * exists), and that node's own problems, each on its node. Compile, training and export leave
   * these nodes out.
   */
  warnings: ProjectIssue[];
}

/**
 * Check a graph against the layers available and infer every shape it can.
 *
 * @example checkGraph(project, registryLayers(new LayerRegistry())).nodes.get('fc1')?.outShape
 */
export function checkGraph(
  project: { nodes: readonly GraphNodeInput[]; output?: string },
  layers: LayerTable,
  known?: Record<string, KnownShapes>,
): GraphCheck {
  const list = project.nodes;
  const byId = new Map<string, number>();
  list.forEach((n, i) => {
    if (!byId.has(n.id)) byId.set(n.id, i);
  });
  const problemsAt: NodeProblem[][] = list.map(() => []);
  // Every issue with the nodes it is about, in the order found: once it is known which nodes
  // feed the output, those about other nodes only are warnings.
  const found: { issue: ProjectIssue; about: number[]; kind?: ProblemKind }[] = [];
  const flag = (i: number, p: NodeProblem, asIssue = true) => {
    problemsAt[i].push(p);
    if (asIssue) found.push({ issue: nodeIssue(list[i], i, p), about: [i], kind: p.kind });
  };
  const note = (issue: ProjectIssue, about: number[] = []) => found.push({ issue, about });

  // What each node is and what it reads, node by node.
  list.forEach((n, i) => {
    if (byId.get(n.id) !== i)
      flag(i, {
        kind: 'id',
        field: 'id',
        message: `the id '${n.id}' is used by more than one node`,
      });
    const info = layers.get(n.type);
    if (!info) {
      const available = layers.types().join(', ');
      flag(i, {
        kind: 'type',
        field: 'type',
        message: `unknown layer type '${n.type}' (available: ${available})`,
      });
    }
    const ins = n.inputs ?? [];
    ins.forEach((src, j) => {
      const field = `inputs[${j}]`;
      if (!byId.has(src))
        flag(i, { kind: 'input', field, message: `input '${src}' does not exist` });
      if (src === n.id)
        flag(i, { kind: 'input', field, message: 'a node cannot be its own input' });
    });
    if (info && (ins.length < info.inputs.min || ins.length > info.inputs.max)) {
      flag(i, {
        kind: 'arity',
        field: 'inputs',
        message: `${inputCountRule(info.inputs)}, got ${ins.length}`,
      });
    }
  });

  const allEntries = [...byId.values()].filter((i) => layers.get(list[i].type)?.entry);
  const output = project.output;
  if (output !== undefined && !byId.has(output))
    note({ path: 'output', message: `the output node '${output}' does not exist` });

  const firsts = [...byId.values()].map((i) => list[i]);
  const { order, cycle } = topoOrder(firsts, byId);
  if (cycle) {
    note(
      { path: 'nodes', node: cycle[0], message: `the graph has a cycle: ${cycle.join(' → ')}` },
      cycle.map((id) => byId.get(id)!),
    );
    for (const id of new Set(cycle)) {
      flag(byId.get(id)!, { kind: 'cycle', message: `on a cycle: ${cycle.join(' → ')}` }, false);
    }
  }

  // Shapes, in topological order.
  const nodes = new Map<string, CheckedNode>();
  for (const n of firsts) {
    const index = byId.get(n.id)!;
    nodes.set(n.id, {
      id: n.id,
      type: n.type,
      index,
      info: layers.get(n.type),
      params: null,
      inShapes: null,
      outShape: null,
      weights: null,
      paramCount: null,
      problems: problemsAt[index],
      used: false,
      trainable: false,
    });
  }
  for (const id of order) {
    const c = nodes.get(id)!;
    const n = list[c.index];
    if (!c.info || c.problems.length) continue;
    const resolved = resolveParams(c.info.params, n.params as Params | undefined);
    for (const p of resolved.problems)
      flag(c.index, { kind: 'params', field: `params.${p.key}`, message: p.message });
    if (resolved.problems.length) continue;
    c.params = resolved.params;
    const ins = (n.inputs ?? []).map((s) => nodes.get(s)?.outShape ?? null);
    if (ins.some((s) => s === null)) continue; // an upstream node has no shape: said there
    const inShapes = ins as number[][];
    if (!c.info.build) {
      const k = known?.[id];
      if (k && sameShapes(k.inShapes, inShapes)) {
        const weights = Object.fromEntries(
          Object.entries(k.weights).map(([w, shape]) => [w, { shape: shape.slice() }]),
        );
        setShapes(c, inShapes, k.outShape.slice(), weights);
      }
      continue;
    }
    try {
      const built = c.info.build({ inShapes: inShapes.map((s) => s.slice()), params: c.params });
      const out = built?.outShape;
      if (!Array.isArray(out) || !out.every((d) => Number.isInteger(d) && d > 0)) {
        throw new Error(
          `build returned outShape ${JSON.stringify(out)}, not a list of positive whole numbers`,
        );
      }
      setShapes(c, inShapes, out.slice(), built.weights ?? {});
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const shapes = inShapes.length
        ? ` (input shape${inShapes.length > 1 ? 's' : ''} ${inShapes.map(formatShape).join(', ')})`
        : '';
      const plugin =
        c.info.source && c.info.source !== 'builtin'
          ? `build of ${n.type} from plugin ${c.info.source} failed: `
          : '';
      flag(c.index, { kind: 'build', message: `${plugin}${msg}${shapes}` });
    }
  }

  markReach(list, nodes, output);
  // With an output to feed, a node that does not feed it is left out: its problems (and a second
  // Input node) are warnings. Without one, nothing can be left out.
  const hasOutput = output !== undefined && byId.has(output);
  const usedAt = (i: number) => byId.get(list[i].id) === i && nodes.get(list[i].id)!.used;
  const ignored = (i: number) => hasOutput && !usedAt(i);
  const usedEntries = allEntries.filter(usedAt);
  const entries = hasOutput && usedEntries.length === 1 ? usedEntries : allEntries;
  if (entries.length !== 1) {
    found.push({
      issue: {
        path: 'nodes',
        message: entries.length
          ? `a project has exactly one Input node, found ${entries.length}: ${entries.map((i) => list[i].id).join(', ')}`
          : 'the project has no Input node',
      },
      about: [],
    });
  }
  const issues: ProjectIssue[] = [];
  const warnings: ProjectIssue[] = [];
  list.forEach((n, i) => {
    if (ignored(i) && byId.get(n.id) === i) warnings.push(unusedIssue(n, i, output!));
  });
  for (const f of found) {
    const warn = f.kind !== 'id' && f.about.length > 0 && f.about.every(ignored);
    (warn ? warnings : issues).push(f.issue);
  }
  const check = {
    nodes,
    order,
    cycle,
    entries: entries.map((i) => list[i].id),
    problemsAt,
    issues,
    warnings,
  };
  if (issues.length === 0 && entries.length === 1 && output !== undefined) {
    const entry = list[entries[0]].id;
    if (!nodes.get(entry)!.used) {
      issues.push({
        path: 'output',
        message: `the output '${output}' does not depend on the Input node '${entry}'`,
      });
    }
  }
  return check;
}

/** The warning on a node that does not feed the output. */
function unusedIssue(n: GraphNodeInput, index: number, output: string): ProjectIssue {
  return {
    path: `nodes[${index}]`,
    node: n.id,
    message: `node '${n.id}'${n.type ? ` (${n.type})` : ''}: ${UNUSED_NOTE} '${output}', so training and export leave it out`,
  };
}

const UNUSED_NOTE = 'not connected to the output';

/**
 * The one-line warning about every node left out (null when none is): each node's id, with its
 * first problem in brackets, e.g. `not connected to the output 'y', so training and export leave
 * them out: relu1 (takes 1 input, got 0), fc9`.
 */
export function unusedWarning(check: GraphCheck, output: string): string | null {
  const left = [...check.nodes.values()].filter((c) => !c.used);
  if (left.length === 0 || !check.nodes.has(output)) return null;
  const named = left
    .sort((a, b) => a.index - b.index)
    .map((c) => (c.problems.length ? `${c.id} (${c.problems[0].message})` : c.id));
  const them = left.length === 1 ? 'it' : 'them';
  return `${UNUSED_NOTE} '${output}', so training and export leave ${them} out: ${named.join(', ')}`;
}

/**
 * How many inputs a layer takes, in words: `takes 1 input`, `takes at least 2 inputs`,
 * `takes 2 to 4 inputs`, `takes no inputs`.
 */
export function inputCountRule({ min, max }: { min: number; max: number }): string {
  if (max === 0) return 'takes no inputs';
  const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  return `takes ${want} input${want === '1' ? '' : 's'}`;
}

/** A node's problem as a project file's issue: `node 'fc1' (Dense): …` at `nodes[1].inputs`. */
export function nodeIssue(
  n: { id: string; type?: string },
  index: number,
  p: NodeProblem,
): ProjectIssue {
  return {
    path: `nodes[${index}]${p.field ? `.${p.field}` : ''}`,
    node: n.id,
    message: `node '${n.id}'${n.type ? ` (${n.type})` : ''}: ${p.message}`,
  };
}

/** The layers of a registry, as the checker reads them. */
export function registryLayers(registry: LayerRegistry): LayerTable {
  return {
    get(type) {
      const r = registry.get(type);
      if (!r) return undefined;
      const def = r.def;
      return {
        params: def.params,
        inputs: arity(def),
        entry: def.entry === true,
        build: (args) => def.build(args),
        source: r.source,
      };
    },
    types: () => registry.types(),
  };
}

function setShapes(
  c: CheckedNode,
  inShapes: number[][],
  outShape: number[],
  weights: Record<string, WeightSpec>,
): void {
  c.inShapes = inShapes;
  c.outShape = outShape;
  c.weights = weights;
  c.paramCount = Object.values(weights).reduce((p, w) => p + sizeOf(w.shape), 0);
}

/** Which nodes feed the output, and which of those a gradient reaches (detach stops it). */
function markReach(
  list: readonly GraphNodeInput[],
  nodes: Map<string, CheckedNode>,
  output: string | undefined,
): void {
  const reaches = new Set<string>();
  const walk = (id: string, grad: boolean) => {
    const c = nodes.get(id);
    if (!c || (c.used && (reaches.has(id) || !grad))) return;
    c.used = true;
    if (grad) reaches.add(id);
    const n = list[c.index];
    for (const s of n.inputs ?? []) walk(s, grad && !n.detach);
  };
  if (output !== undefined) walk(output, true);
  for (const c of nodes.values()) {
    c.trainable = c.used && reaches.has(c.id) && !list[c.index].frozen && (c.paramCount ?? 0) > 0;
  }
}

function sameShapes(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((s, i) => s.join() === b[i].join());
}

/** Kahn's algorithm; on a cycle, also one cycle's node ids as a path. */
function topoOrder(
  nodes: GraphNodeInput[],
  index: Map<string, number>,
): { order: string[]; cycle: string[] | null } {
  const pos = new Map(nodes.map((n, i) => [n.id, i]));
  const indeg = nodes.map((n) => (n.inputs ?? []).filter((s) => index.has(s)).length);
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) =>
    (n.inputs ?? []).forEach((s) => {
      if (index.has(s)) consumers[pos.get(s)!].push(i);
    }),
  );
  const queue = indeg.flatMap((d, i) => (d === 0 ? [i] : []));
  const order: string[] = [];
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    order.push(nodes[i].id);
    for (const c of consumers[i]) if (--indeg[c] === 0) queue.push(c);
  }
  if (order.length === nodes.length) return { order, cycle: null };
  // Walk back along inputs inside the unsorted part until a node repeats.
  const left = new Set(nodes.map((_, i) => i).filter((i) => indeg[i] > 0));
  let cur = [...left][0];
  const seen: number[] = [];
  while (!seen.includes(cur)) {
    seen.push(cur);
    cur = (nodes[cur].inputs ?? []).map((s) => pos.get(s)!).find((j) => left.has(j))!;
  }
  const cyc = seen.slice(seen.indexOf(cur)).reverse();
  return { order, cycle: [...cyc, cyc[0]].map((i) => nodes[i].id) };
}
