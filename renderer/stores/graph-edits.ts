// Every change to the network, as data, and the pure function that applies one to a project.
// Projects are immutable (frozen): an edit returns a new project that shares what it did not
// touch, so history entries are just the projects before and after.
import type { ParamValue } from '../../core/layers/contract';
import type { ProjectInput } from '../../core/graph/schema';
import { clonePlain } from './clone';
import { type Clip, remapClip } from './graph-clipboard';
import { isValidNodeId, nextNodeId } from './graph-ids';

export type GraphNode = ProjectInput['nodes'][number];
export type Position = { x: number; y: number };
export type TrainingInput = NonNullable<ProjectInput['training']>;
export type NodeFlags = { frozen?: boolean; detach?: boolean; memory?: 'store' | 'recompute' };

export type GraphEdit =
  /** A new node; `id` is generated from the type when left out (dense1, dense2 …). */
  | {
      type: 'addNode';
      nodeType: string;
      id?: string;
      params?: Record<string, ParamValue>;
      inputs?: string[];
      position?: Position;
    }
  /** Delete nodes, their edges and their layout. */
  | { type: 'removeNodes'; ids: string[] }
  /** Add `from` to the inputs of `to` (at `index`, else last). */
  | { type: 'connect'; from: string; to: string; index?: number }
  | { type: 'disconnect'; from: string; to: string }
  /**
   * A new one-input node on the edge `from → to`: `from` feeds it, and it takes `from`'s slot
   * among `to`'s inputs. (No cycle can come of it, so it needs no connection check.)
   */
  | {
      type: 'insertNode';
      nodeType: string;
      id?: string;
      from: string;
      to: string;
      position?: Position;
    }
  /** Merge parameters; a value of undefined removes the key (back to the layer's default). */
  | { type: 'setParams'; id: string; params: Record<string, ParamValue | undefined> }
  /** frozen / detach false and memory 'store' are the defaults and leave the file. */
  | { type: 'setFlags'; id: string; flags: NodeFlags }
  /** Positions on the canvas; consecutive moves of the same nodes are one undo step. */
  | { type: 'moveNodes'; positions: Record<string, Position> }
  /** A new id for a node; its edges, the output and the layout follow. */
  | { type: 'rename'; id: string; newId: string }
  | { type: 'setOutput'; id: string }
  | { type: 'setLoss'; loss: ProjectInput['loss'] }
  | { type: 'setData'; data: ProjectInput['data'] }
  /** Merged into the training settings (the optimizer is replaced as a whole). */
  | { type: 'setTraining'; training: Partial<TrainingInput> }
  | { type: 'setName'; name: string }
  | { type: 'setDescription'; description: string }
  | { type: 'setPlugins'; plugins: string[] }
  | { type: 'replaceProject'; project: ProjectInput }
  /** Copied nodes with fresh ids, moved by `offset`; edges among them are kept. */
  | { type: 'paste'; clip: Clip; offset?: Position }
  /** Several edits as one undo step, all or nothing (deleting nodes and edges together). */
  | { type: 'batch'; label: string; edits: GraphEdit[] };

export type EditResult =
  { ok: true; project: ProjectInput; ids: string[] } | { ok: false; reason: string };

/** Apply one edit. Unknown nodes, taken ids and the like are refused with a reason. */
export function applyEdit(p: ProjectInput, edit: GraphEdit): EditResult {
  const find = (id: string) => p.nodes.find((n) => n.id === id);
  const fail = (reason: string): EditResult => ({ ok: false, reason });
  const done = (project: ProjectInput, ids: string[] = []): EditResult => ({
    ok: true,
    project,
    ids,
  });
  const missing = (id: string) => fail(`there is no node '${id}'`);
  const withNode = (id: string, f: (n: GraphNode) => GraphNode): ProjectInput => ({
    ...p,
    nodes: p.nodes.map((n) => (n.id === id ? f(n) : n)),
  });

  switch (edit.type) {
    case 'batch': {
      let q = p;
      const ids: string[] = [];
      for (const e of edit.edits) {
        const r = applyEdit(q, e);
        if (!r.ok) return r;
        q = r.project;
        ids.push(...r.ids);
      }
      return done(q, ids);
    }
    case 'addNode': {
      if (!edit.nodeType) return fail('a node needs a type');
      const taken = new Set(p.nodes.map((n) => n.id));
      const id = edit.id ?? nextNodeId(edit.nodeType, taken);
      if (!isValidNodeId(id)) return fail(badId(id));
      if (taken.has(id)) return fail(`the id '${id}' is already used`);
      const inputs = [...(edit.inputs ?? [])];
      const absent = inputs.find((s) => !taken.has(s));
      if (absent !== undefined) return missing(absent);
      const node: GraphNode = {
        id,
        type: edit.nodeType,
        ...(edit.params && Object.keys(edit.params).length
          ? { params: clonePlain(edit.params) }
          : {}),
        ...(inputs.length ? { inputs: inputs.slice() } : {}),
      };
      const next = { ...p, nodes: [...p.nodes, node] };
      if (edit.position) next.layout = { ...p.layout, [id]: { ...edit.position } };
      return done(followOutput(next), [id]);
    }
    case 'removeNodes': {
      const gone = new Set(edit.ids.filter((id) => find(id)));
      if (gone.size === 0) return done(p);
      const nodes = p.nodes
        .filter((n) => !gone.has(n.id))
        .map((n) => {
          const ins = n.inputs?.filter((s) => !gone.has(s));
          return ins && ins.length !== n.inputs!.length ? withInputs(n, ins) : n;
        });
      const next: ProjectInput = { ...p, nodes };
      if (p.layout) {
        next.layout = Object.fromEntries(Object.entries(p.layout).filter(([k]) => !gone.has(k)));
      }
      return done(followOutput(next));
    }
    case 'connect': {
      const { from, to } = edit;
      if (!find(from)) return missing(from);
      const target = find(to);
      if (!target) return missing(to);
      if (from === to) return fail('a node cannot be its own input');
      const ins = target.inputs ?? [];
      if (ins.includes(from)) return fail(`'${from}' is already an input of '${to}'`);
      const at = Math.max(0, Math.min(edit.index ?? ins.length, ins.length));
      const next = withNode(to, (n) =>
        withInputs(n, [...ins.slice(0, at), from, ...ins.slice(at)]),
      );
      return done(followOutput(next));
    }
    case 'insertNode': {
      const target = find(edit.to);
      if (!target) return missing(edit.to);
      const slot = target.inputs?.indexOf(edit.from) ?? -1;
      if (slot < 0) return fail(`'${edit.from}' is not an input of '${edit.to}'`);
      const { from, to, type: _t, ...add } = edit;
      const added = applyEdit(p, { ...add, type: 'addNode', inputs: [from] });
      if (!added.ok) return added;
      const id = added.ids[0];
      const q = added.project;
      const nodes = q.nodes.map((n) =>
        n.id === to
          ? withInputs(
              n,
              n.inputs!.map((s, i) => (i === slot ? id : s)),
            )
          : n,
      );
      return done(followOutput({ ...q, nodes }), [id]);
    }
    case 'disconnect': {
      const target = find(edit.to);
      if (!target) return missing(edit.to);
      const ins = target.inputs ?? [];
      const at = ins.indexOf(edit.from);
      if (at < 0) return fail(`'${edit.from}' is not an input of '${edit.to}'`);
      const next = withNode(edit.to, (n) =>
        withInputs(
          n,
          ins.filter((_, i) => i !== at),
        ),
      );
      return done(followOutput(next));
    }
    case 'setParams': {
      if (!find(edit.id)) return missing(edit.id);
      return done(
        withNode(edit.id, (n) => {
          const params: Record<string, ParamValue> = { ...n.params };
          for (const [k, v] of Object.entries(edit.params)) {
            if (v === undefined) delete params[k];
            else params[k] = clonePlain(v);
          }
          const { params: _old, ...rest } = n;
          return Object.keys(params).length ? { ...rest, params } : rest;
        }),
      );
    }
    case 'setFlags': {
      if (!find(edit.id)) return missing(edit.id);
      return done(
        withNode(edit.id, (n) => {
          const next: GraphNode = { ...n };
          const { frozen, detach, memory } = edit.flags;
          if (frozen !== undefined) setOrDrop(next, 'frozen', frozen || undefined);
          if (detach !== undefined) setOrDrop(next, 'detach', detach || undefined);
          if (memory !== undefined)
            setOrDrop(next, 'memory', memory === 'store' ? undefined : memory);
          return next;
        }),
      );
    }
    case 'moveNodes': {
      const entries = Object.entries(edit.positions);
      const unknown = entries.find(([id]) => !find(id));
      if (unknown) return missing(unknown[0]);
      const bad = entries.find(([, q]) => !Number.isFinite(q.x) || !Number.isFinite(q.y));
      if (bad) return fail(`the position of '${bad[0]}' is not a pair of finite numbers`);
      const layout = { ...p.layout };
      for (const [id, q] of entries) layout[id] = { x: q.x, y: q.y };
      return done({ ...p, layout });
    }
    case 'rename': {
      const { id, newId } = edit;
      if (!find(id)) return missing(id);
      if (newId === id) return done(p);
      if (!isValidNodeId(newId)) return fail(badId(newId));
      if (find(newId)) return fail(`the id '${newId}' is already used`);
      const nodes = p.nodes.map((n) => {
        const m = n.id === id ? { ...n, id: newId } : n;
        return m.inputs?.includes(id)
          ? withInputs(
              m,
              m.inputs.map((s) => (s === id ? newId : s)),
            )
          : m;
      });
      const next: ProjectInput = { ...p, nodes, output: p.output === id ? newId : p.output };
      if (p.layout?.[id]) {
        next.layout = Object.fromEntries(
          Object.entries(p.layout).map(([k, v]) => [k === id ? newId : k, v]),
        );
      }
      return done(next, [newId]);
    }
    case 'setOutput':
      if (!find(edit.id)) return missing(edit.id);
      return done({ ...p, output: edit.id });
    case 'setLoss':
      return done({ ...p, loss: clonePlain(edit.loss) });
    case 'setData':
      return done({ ...p, data: clonePlain(edit.data) });
    case 'setTraining':
      return done({ ...p, training: { ...p.training, ...clonePlain(edit.training) } });
    case 'setName':
      return done({ ...p, name: edit.name });
    case 'setDescription': {
      const { description: _d, ...rest } = p;
      return done(edit.description ? { ...p, description: edit.description } : rest);
    }
    case 'setPlugins':
      return done({ ...p, plugins: edit.plugins.slice() });
    case 'replaceProject':
      return done(clonePlain(edit.project));
    case 'paste': {
      const { nodes, layout, ids } = remapClip(
        edit.clip,
        new Set(p.nodes.map((n) => n.id)),
        edit.offset,
      );
      if (nodes.length === 0) return done(p);
      const next: ProjectInput = {
        ...p,
        nodes: [...p.nodes, ...nodes],
        layout: { ...p.layout, ...layout },
      };
      return done(followOutput(next), ids);
    }
  }
}

/**
 * A project's output follows the graph while it is being built: when the output node is gone,
 * or now feeds another node, and exactly one end node lies downstream (or exists at all), that
 * node becomes the output. An output set by hand that is still an end node stays.
 */
export function followOutput(p: ProjectInput): ProjectInput {
  const ids = new Set(p.nodes.map((n) => n.id));
  const consumers = new Map<string, string[]>();
  for (const n of p.nodes) {
    for (const s of n.inputs ?? [])
      if (ids.has(s)) consumers.set(s, [...(consumers.get(s) ?? []), n.id]);
  }
  const isSink = (id: string) => !consumers.has(id);
  if (ids.has(p.output) && isSink(p.output)) return p;
  let sinks: string[];
  if (ids.has(p.output)) {
    const seen = new Set<string>();
    const stack = [p.output];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(consumers.get(id) ?? []));
    }
    sinks = [...seen].filter(isSink);
  } else {
    sinks = p.nodes.map((n) => n.id).filter(isSink);
  }
  return sinks.length === 1 ? { ...p, output: sinks[0] } : p;
}

/** A short name for an edit, for "Undo …" in menus and tooltips. */
export function describeEdit(edit: GraphEdit): string {
  switch (edit.type) {
    case 'addNode':
      return `Add ${edit.nodeType}`;
    case 'removeNodes':
      return edit.ids.length === 1 ? `Delete ${edit.ids[0]}` : `Delete ${edit.ids.length} nodes`;
    case 'connect':
      return `Connect ${edit.from} → ${edit.to}`;
    case 'disconnect':
      return `Disconnect ${edit.from} → ${edit.to}`;
    case 'insertNode':
      return `Insert ${edit.nodeType} between ${edit.from} and ${edit.to}`;
    case 'setParams':
      return `Change ${Object.keys(edit.params).join(', ')} of ${edit.id}`;
    case 'setFlags':
      return `Change ${Object.keys(edit.flags).join(', ')} of ${edit.id}`;
    case 'moveNodes': {
      const ids = Object.keys(edit.positions);
      return ids.length === 1 ? `Move ${ids[0]}` : `Move ${ids.length} nodes`;
    }
    case 'rename':
      return `Rename ${edit.id} to ${edit.newId}`;
    case 'setOutput':
      return `Make ${edit.id} the output`;
    case 'setLoss':
      return 'Change the loss';
    case 'setData':
      return 'Change the data';
    case 'setTraining':
      return 'Change the training settings';
    case 'setName':
      return 'Rename the project';
    case 'setDescription':
      return 'Change the description';
    case 'setPlugins':
      return 'Change the plugin list';
    case 'replaceProject':
      return 'Replace the project';
    case 'batch':
      return edit.label;
    case 'paste':
      return edit.clip.nodes.length === 1
        ? `Paste ${edit.clip.nodes[0].type}`
        : `Paste ${edit.clip.nodes.length} nodes`;
  }
}

/** Freeze a project and everything in it (already frozen parts are shared and skipped). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as object)) deepFreeze(v);
  return value;
}

function withInputs(n: GraphNode, inputs: string[]): GraphNode {
  const { inputs: _old, ...rest } = n;
  return inputs.length ? { ...rest, inputs } : rest;
}

function setOrDrop<K extends keyof GraphNode>(
  n: GraphNode,
  key: K,
  value: GraphNode[K] | undefined,
): void {
  if (value === undefined) delete n[key];
  else n[key] = value;
}

function badId(id: string): string {
  return `'${id}' is not a valid id: it starts with a letter or _ and holds only letters, digits, _ and -`;
}
