// The network being built, in project-file form: the single source of truth for the builder,
// the inspector and training. Every change goes through apply(), which records undo history,
// marks the project changed and has the worker check it again.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ProjectInput } from '../../core/graph/schema';
import type { WireError } from '../worker/protocol';
import type { CompiledSummary, ProjectIssue } from '../worker/protocol-types';
import { clonePlain } from './clone';
import { type Clip, copyNodes, parseClip } from './graph-clipboard';
import { type ConnectCheck, canConnect as checkConnect } from './graph-connect';
import {
  type EditResult,
  type GraphEdit,
  type GraphNode,
  type Position,
  applyEdit,
  deepFreeze,
  describeEdit,
} from './graph-edits';
import { History } from './graph-history';
import { nextNodeId } from './graph-ids';
import { type TidyOptions, tidyLayout } from './graph-layout';
import { type NodeMark, type TrainBlocker, marksByNode, trainBlocker } from './graph-problems';
import { uiLayerLookup } from './layer-catalog';
import { useDataStore } from './data';
import { usePluginsStore } from './plugins';
import { services } from './services';
import { useSettingsStore } from './settings';

export interface GraphEdge {
  /** `from->to` (`from->to#2` for a second edge between the same nodes). */
  id: string;
  from: string;
  to: string;
  /** Which input of `to` this edge is. */
  index: number;
}

/** A project with nothing in it yet: the canvas is empty, the settings are the usual ones. */
export function emptyProject(name = 'Untitled'): ProjectInput {
  return {
    format: 'backprop-lab.project',
    version: 1,
    name,
    nodes: [],
    output: '',
    loss: { type: 'BCE' },
    data: { source: 'builtin:xor', samples: 200, noise: 0.1, testFraction: 0.2 },
    training: {
      optimizer: { type: 'sgd', lr: 0.5 },
      batchSize: 16,
      epochs: 100,
      seed: 42,
      shuffle: true,
    },
    plugins: [],
    layout: {},
  };
}

/** A problem found by the last check; `edge` when it is about one input of a node. */
export interface PlacedIssue extends ProjectIssue {
  edge?: string;
}

export function edgeId(from: string, to: string, nth = 1): string {
  return nth > 1 ? `${from}->${to}#${nth}` : `${from}->${to}`;
}

/** Top-level fields the worker does not look at: changing only these needs no new check. */
const UNCHECKED = new Set(['layout', 'name', 'description']);

/** Do the two projects differ in more than layout, name and description? */
export function needsCheck(a: ProjectInput, b: ProjectInput): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (UNCHECKED.has(k)) continue;
    if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return true;
  }
  return false;
}

export const useGraphStore = defineStore('graph', () => {
  const plugins = usePluginsStore();
  const data = useDataStore();
  const settings = useSettingsStore();

  /** The project, frozen: change it only through apply(). */
  const project = shallowRef<ProjectInput>(deepFreeze(emptyProject()));
  /** Bumped on every change of `project` (autosave and other watchers follow it). */
  const revision = ref(0);
  const saved = shallowRef<ProjectInput | null>(project.value);
  const selection = ref<string[]>([]);
  const clipboard = shallowRef<Clip | null>(null);
  let pasteCount = 0;

  const history = new History<ProjectInput>(200);
  const historyVersion = ref(0);

  /** The worker's last answer: shapes of every node that has one (even when others are wrong). */
  const summary = shallowRef<CompiledSummary | null>(null);
  /** Every problem of the last check, each at its field path (and node). */
  const issues = shallowRef<PlacedIssue[]>([]);
  /** The last check's error (null when the project compiles). */
  const compileError = shallowRef<WireError | null>(null);
  /** A check is on its way. */
  const validating = ref(false);

  const nodes = computed(() => project.value.nodes);
  const output = computed(() => project.value.output);
  const nodeIndex = computed(() => new Map(project.value.nodes.map((n, i) => [n.id, i])));
  const edges = computed<GraphEdge[]>(() =>
    project.value.nodes.flatMap((n) => {
      const seen = new Map<string, number>();
      return (n.inputs ?? []).map((from, index) => {
        const nth = (seen.get(from) ?? 0) + 1;
        seen.set(from, nth);
        return { id: edgeId(from, n.id, nth), from, to: n.id, index };
      });
    }),
  );
  const dirty = computed(() => project.value !== saved.value);
  // The history is a plain object: historyVersion tells Vue when to read it again.
  const fromHistory = <T>(read: () => T) =>
    computed(() => {
      void historyVersion.value;
      return read();
    });
  const canUndo = fromHistory(() => history.canUndo);
  const canRedo = fromHistory(() => history.canRedo);
  const undoLabel = fromHistory(() => history.undoLabel);
  const redoLabel = fromHistory(() => history.redoLabel);
  const warnings = computed(() => summary.value?.warnings ?? []);

  /** Problems per node id: the last check's, and those of a plugin that broke or went away. */
  const issuesByNode = computed<Record<string, ProjectIssue[]>>(() => {
    const out: Record<string, ProjectIssue[]> = {};
    for (const i of issues.value) if (i.node) (out[i.node] ??= []).push(i);
    project.value.nodes.forEach((n, k) => {
      const problem = plugins.typeProblem(n.type);
      if (problem && !out[n.id]?.some((i) => i.message.includes(problem)))
        (out[n.id] ??= []).push({ path: `nodes[${k}].type`, node: n.id, message: problem });
    });
    return out;
  });

  /** Problems on edges (an input that does not exist, say), by edge id. */
  const issuesByEdge = computed<Record<string, PlacedIssue[]>>(() => {
    const out: Record<string, PlacedIssue[]> = {};
    for (const i of issues.value) if (i.edge) (out[i.edge] ??= []).push(i);
    return out;
  });

  /** Warnings on nodes (a node that does not feed the output, and its problems), by node id. */
  const warningsByNode = computed<Record<string, ProjectIssue[]>>(() => {
    const out: Record<string, ProjectIssue[]> = {};
    for (const w of summary.value?.nodeWarnings ?? []) if (w.node) (out[w.node] ??= []).push(w);
    return out;
  });

  /** Every node's marks for the canvas: its problems (errors), then its warnings. */
  const marks = computed<Record<string, NodeMark[]>>(() =>
    marksByNode(issuesByNode.value, warningsByNode.value),
  );

  /**
   * Why Train cannot start now (the first problem that stops it, where it is), or null. Every
   * start button is disabled with this as its reason.
   */
  const blocker = computed<TrainBlocker | null>(() =>
    trainBlocker(project.value.nodes.length, issues.value),
  );

  /** Problems not about one node: the loss, the data, the training settings, the output. */
  const projectIssues = computed(() => issues.value.filter((i) => !i.node));

  /** A node's problems by field (`params.units`, `inputs`, `type`; '' for the node as a whole). */
  function fieldIssues(id: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const i of issuesByNode.value[id] ?? []) {
      const field = /^nodes\[\d+\]\.?(.*)$/.exec(i.path)?.[1] ?? '';
      (out[field] ??= []).push(i.message);
    }
    return out;
  }

  function node(id: string): GraphNode | undefined {
    const i = nodeIndex.value.get(id);
    return i === undefined ? undefined : project.value.nodes[i];
  }

  function position(id: string): Position | undefined {
    return project.value.layout?.[id];
  }

  // ---- changes ----

  function setProject(next: ProjectInput, check: boolean): void {
    project.value = next;
    revision.value++;
    if (check) scheduleValidate();
  }

  /** May `from` feed `to`? Refusals say why (a cycle, a full target, shapes that do not fit). */
  function canConnect(from: string, to: string): ConnectCheck {
    return checkConnect(
      project.value,
      from,
      to,
      uiLayerLookup(plugins.layers),
      summary.value?.nodes,
    );
  }

  /** The one way to change the project. Refused edits change nothing and say why. */
  function apply(edit: GraphEdit): EditResult {
    if (edit.type === 'connect') {
      const check = canConnect(edit.from, edit.to);
      if (!check.ok) return check;
    }
    if (
      edit.type === 'batch' &&
      edit.edits.some((e) => e.type === 'connect' || e.type === 'batch')
    ) {
      // Connections are checked against the graph as it is: apply them one by one.
      return { ok: false, reason: 'a batch edit cannot connect nodes' };
    }
    const before = project.value;
    const r = applyEdit(before, edit);
    if (!r.ok || r.project === before) return r;
    const after = deepFreeze(r.project);
    const mergeKey =
      edit.type === 'moveNodes'
        ? `move:${Object.keys(edit.positions).sort().join(',')}`
        : undefined;
    history.push({ before, after, label: describeEdit(edit), mergeKey });
    historyVersion.value++;
    setProject(after, needsCheck(before, after));
    afterEdit(edit, r.ids);
    return { ...r, project: after };
  }

  function afterEdit(edit: GraphEdit, ids: string[]): void {
    if (edit.type === 'batch') {
      for (const e of edit.edits) afterEdit(e, []);
      return;
    }
    if (edit.type === 'removeNodes') {
      const gone = new Set(edit.ids);
      selection.value = selection.value.filter((id) => !gone.has(id));
    } else if (edit.type === 'addNode' || edit.type === 'paste') {
      selection.value = ids.slice();
    } else if (edit.type === 'rename') {
      selection.value = selection.value.map((id) => (id === edit.id ? edit.newId : id));
    } else if (edit.type === 'replaceProject') {
      selection.value = [];
    }
  }

  function undo(): boolean {
    const e = history.undo();
    if (!e) return false;
    historyVersion.value++;
    setProject(e.before, needsCheck(e.after, e.before));
    pruneSelection();
    return true;
  }

  function redo(): boolean {
    const e = history.redo();
    if (!e) return false;
    historyVersion.value++;
    setProject(e.after, needsCheck(e.before, e.after));
    pruneSelection();
    return true;
  }

  /** End a drag: the next move of the same nodes is a new undo step. */
  function sealHistory(): void {
    history.seal();
  }

  /**
   * Start over with this project (opened, new, restored): no history; clean unless `dirty`
   * (a restored autosave is not saved anywhere yet).
   */
  function load(p: ProjectInput, o: { dirty?: boolean } = {}): void {
    const next = deepFreeze(clonePlain(p));
    history.clear();
    historyVersion.value++;
    saved.value = o.dirty ? null : next;
    selection.value = [];
    summary.value = null;
    issues.value = [];
    compileError.value = null;
    pasteCount = 0;
    setProject(next, true);
  }

  /** The current project is what is on disk now. */
  function markSaved(): void {
    saved.value = project.value;
  }

  // ---- selection, clipboard ----

  function select(ids: string[], mode: 'replace' | 'add' | 'toggle' = 'replace'): void {
    const valid = ids.filter((id) => nodeIndex.value.has(id));
    if (mode === 'replace') selection.value = [...new Set(valid)];
    else if (mode === 'add') selection.value = [...new Set([...selection.value, ...valid])];
    else {
      const s = new Set(selection.value);
      for (const id of valid) {
        if (s.has(id)) s.delete(id);
        else s.add(id);
      }
      selection.value = [...s];
    }
  }

  function selectAll(): void {
    selection.value = project.value.nodes.map((n) => n.id);
  }

  function clearSelection(): void {
    selection.value = [];
  }

  function pruneSelection(): void {
    const ids = nodeIndex.value;
    selection.value = selection.value.filter((id) => ids.has(id));
  }

  /** Copy nodes (the selection by default) with the edges among them. */
  function copy(ids: string[] = selection.value): Clip | null {
    if (ids.length === 0) return null;
    clipboard.value = copyNodes(project.value, ids);
    pasteCount = 0;
    return clipboard.value;
  }

  function cut(ids: string[] = selection.value): Clip | null {
    const clip = copy(ids);
    if (clip) apply({ type: 'removeNodes', ids: clip.nodes.map((n) => n.id) });
    return clip;
  }

  /**
   * Paste a clip (the last copied by default; or clipboard text from copyText()): fresh ids,
   * shifted a little further on every paste of the same clip. The pasted nodes are selected.
   */
  function paste(clip: Clip | string | null = clipboard.value, offset?: Position): EditResult {
    const c = typeof clip === 'string' ? parseClip(clip) : clip;
    if (!c || c.nodes.length === 0) return { ok: false, reason: 'there is nothing to paste' };
    pasteCount++;
    const step = 40 * pasteCount;
    return apply({ type: 'paste', clip: c, offset: offset ?? { x: step, y: step } });
  }

  /** A clip as text, for the system clipboard. */
  function clipText(clip: Clip | null = clipboard.value): string | null {
    return clip ? JSON.stringify(clip) : null;
  }

  function deleteSelection(): EditResult {
    return apply({ type: 'removeNodes', ids: selection.value.slice() });
  }

  /** Lay the network out in columns by depth (one undo step). */
  /** Tidy the layout (one undo step); spaced by the nodes' measured sizes when given. */
  function tidy(sizes?: TidyOptions['sizes']): EditResult {
    history.seal();
    const r = apply({ type: 'moveNodes', positions: tidyLayout(project.value, { sizes }) });
    history.seal();
    return r;
  }

  /** The id a new node of this type would get. */
  function nextId(type: string): string {
    return nextNodeId(type, new Set(project.value.nodes.map((n) => n.id)));
  }

  // ---- validation by the worker ----

  let latest = 0;
  let scheduled = false;

  function scheduleValidate(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      void validate();
    });
  }

  /** Have the worker check the project now; stale answers (an older check) are dropped. */
  async function validate(): Promise<void> {
    const { worker } = services();
    const id = worker.nextId();
    latest = id;
    validating.value = true;
    const sent = project.value;
    try {
      const reply = await worker.request({ type: 'compile', id, project: sent });
      if (id !== latest) return;
      if (reply.type === 'compiled') {
        summary.value = reply.summary;
        issues.value = [];
        compileError.value = null;
      } else if (reply.type === 'compileError') {
        summary.value = reply.summary;
        compileError.value = reply.error;
        issues.value = placeIssues(sent, reply.error);
      }
    } catch (e) {
      if (id !== latest) return;
      const message = e instanceof Error ? e.message : String(e);
      compileError.value = { code: 'OP', message, place: {} };
      issues.value = [{ path: '', message }];
    } finally {
      if (id === latest) validating.value = false;
    }
  }

  // Plugin layers came, went or changed, or a CSV file came: shapes and problems may differ now.
  watch(
    () => plugins.statuses,
    () => scheduleValidate(),
  );
  watch(
    () => data.files,
    () => scheduleValidate(),
  );
  // The memory budget changed (Training tab): a network may fit now, or no longer.
  watch(
    () => settings.memoryBudgetGiB,
    () => scheduleValidate(),
  );
  services().worker.onRestart(() => scheduleValidate());

  return {
    project,
    revision,
    selection,
    clipboard,
    summary,
    issues,
    compileError,
    validating,
    nodes,
    output,
    edges,
    dirty,
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    warnings,
    issuesByNode,
    issuesByEdge,
    warningsByNode,
    marks,
    blocker,
    projectIssues,
    fieldIssues,
    node,
    position,
    canConnect,
    apply,
    undo,
    redo,
    sealHistory,
    load,
    markSaved,
    select,
    selectAll,
    clearSelection,
    copy,
    cut,
    paste,
    clipText,
    deleteSelection,
    tidy,
    nextId,
    validate,
  };
});

/** A data problem that names no node (a bad target, a short CSV row) belongs to the data section. */
function ownPath(error: WireError): string {
  const data = error.code === 'DATA' || error.code === 'CSV';
  return data && !error.place.node ? 'data' : '';
}

/**
 * The issues of a check, each with the node it is about (found from its path if need be) and,
 * for a problem with one input, the edge (`nodes[3].inputs[1]`).
 */
function placeIssues(sent: ProjectInput, error: WireError): PlacedIssue[] {
  const list: ProjectIssue[] = error.issues?.length
    ? error.issues
    : [
        {
          path: error.place.path ?? ownPath(error),
          node: error.place.node,
          message: error.message,
        },
      ];
  return list.map((i) => {
    const m = /^nodes\[(\d+)\](?:\.inputs\[(\d+)\])?/.exec(i.path);
    const n = m ? sent.nodes[Number(m[1])] : undefined;
    const placed: PlacedIssue = { ...i };
    if (!placed.node && n) placed.node = n.id;
    const from = m?.[2] !== undefined ? n?.inputs?.[Number(m[2])] : undefined;
    if (n && from !== undefined) {
      const nth = n.inputs!.slice(0, Number(m![2]) + 1).filter((s) => s === from).length;
      placed.edge = edgeId(from, n.id, nth);
    }
    return placed;
  });
}
