// The Lab views' side of the worker: the UI says which view is open ('inspect'); the handler
// answers at once, and while a run trains it answers again for live views at a bounded rate,
// piggy-backing on the run's progress reports. Nothing here touches the run's own model.
import type { DataHost } from '../../core/data/resolve';
import { parseProject } from '../../core/graph/parse';
import type { Project } from '../../core/graph/schema';
import type { LayerDefinition } from '../../core/layers/contract';
import type { LayerRegistry } from '../../core/layers/registry';
import { prepareTraining } from '../../core/project/prepare';
import type { Trainer } from '../../core/train/trainer';
import type { Activity } from '../../core/util/activity';
import { gradcheckView } from './lab-views/gradcheck';
import { jacobianView } from './lab-views/jacobian';
import {
  blameView,
  boundaryView,
  forwardView,
  memoryView,
  neuronsView,
  stepsView,
} from './lab-views/views';
import { type Workbench, makeWorkbench, weightsFit } from './lab-views/workbench';
import {
  type InspectRequest,
  type InspectResult,
  LIVE_VIEWS,
  type ResultContext,
  type ViewResult,
} from '../lab/inspect-types';
import type { FromWorker, ToWorker } from './protocol';
import type { NamedTensors } from '../../core/io/named-tensors';
import { toWireError } from './wire';

export interface InspectDeps {
  post(msg: FromWorker): void;
  /** The layers available now (waits for plugins that are loading). */
  registry(): Promise<LayerRegistry>;
  dataHost(project: Project): Promise<DataHost>;
  /** Which version of its CSV file a project reads (a changed file makes a new workbench). */
  dataStamp(project: InspectRequest['project']): string;
  /** The current run's trainer, or the last one. */
  trainer(): Trainer | null;
  /** A weight set the worker holds, by its key (throws when it is gone). */
  heldWeights(key: string): NamedTensors;
  now(): number;
  /** Least time from one live update to the next while training. Default 250 ms. */
  intervalMs?: number;
  /** Told what is computed, for the watchdog on the UI thread. */
  activity?: Activity;
  /** The message type answers go out as (the Lab's 'inspection', the canvas's 'neuronMaps'). */
  answer?: 'inspection' | 'neuronMaps';
}

export interface InspectHandler {
  handle(msg: Extract<ToWorker, { type: 'inspect' | 'neuronMaps' }>): Promise<void>;
  /**
   * The run made progress (or paused, or ended): refresh a live view if the last update is
   * old enough, or at once with `force`.
   */
  tick(force?: boolean): void;
}

interface Bench {
  key: string;
  defs: Map<string, LayerDefinition>;
  wb: Workbench;
}

/** Workbenches kept: the open view's network, and the memory view's network without flags. */
const BENCHES = 2;

export function createInspectHandler(deps: InspectDeps): InspectHandler {
  const interval = deps.intervalMs ?? 250;
  const answer = deps.answer ?? 'inspection';
  let current: { seq: number; request: InspectRequest } | null = null;
  let lastAt = -Infinity;
  let busy = false;
  let again = false;
  let benches: Bench[] = [];
  const watched = <T>(what: string, fn: () => T): T =>
    deps.activity ? deps.activity.run(what, fn) : fn();

  async function workbench(request: Pick<InspectRequest, 'project'>): Promise<Workbench> {
    const registry = await deps.registry();
    const project = parseProject(request.project);
    const key = benchKey(request.project, deps.dataStamp(request.project));
    const defs = new Map(registry.types().map((t) => [t, registry.get(t)!.def]));
    const hit = benches.find((b) => b.key === key && sameDefs(b.defs, defs));
    if (hit) return hit.wb;
    const host = await deps.dataHost(project);
    const made = watched("preparing the Lab's network", () => ({
      key,
      defs,
      wb: makeWorkbench(project, prepareTraining(project, { registry, host })),
    }));
    benches = [made, ...benches].slice(0, BENCHES);
    return made.wb;
  }

  /** Put the asked-for weights into the workbench's model; says what it used. */
  function loadWeights(
    wb: Workbench,
    request: InspectRequest,
  ): Pick<ResultContext, 'weights' | 'epoch' | 'at' | 'note'> {
    const w = request.weights;
    const initial = (note?: string) => {
      wb.model.importWeights(wb.initial);
      return { weights: 'initial' as const, epoch: 0, ...(note ? { note } : {}) };
    };
    if (w.from === 'initial') return initial();
    if (w.from === 'given') {
      const given = deps.heldWeights(w.key);
      if (!weightsFit(wb.model, given))
        return initial('the network changed since it was trained: these are fresh weights');
      wb.model.importWeights(given);
      return { weights: 'given', epoch: w.epoch, ...(w.at ? { at: w.at } : {}) };
    }
    const t = deps.trainer();
    if (!t) return initial('the run has not started yet: these are the initial weights');
    const theirs = t.model.weights;
    const fits =
      theirs.size === wb.model.weights.size &&
      [...wb.model.weights].every(([k, mine]) => {
        const other = theirs.get(k);
        return !!other && other.data.length === mine.data.length;
      });
    if (!fits)
      return initial('the network changed since training started: these are fresh weights');
    for (const [k, mine] of wb.model.weights) mine.data.set(theirs.get(k)!.data);
    return { weights: 'run', epoch: t.history.length, at: t.position };
  }

  async function compute(request: InspectRequest): Promise<InspectResult> {
    const q = request.query;
    if (q.view === 'gradcheck') {
      const registry = await deps.registry();
      const view = watched("the Lab's gradient check", () => gradcheckView(registry, q.layer));
      return { ...view, ...emptyContext(request) };
    }
    const wb = await workbench(request);
    // The memory view measures twice: as the network is, and without frozen, detach and
    // recompute (a second workbench, made before the watched computation).
    const plain = q.view === 'memory' ? withoutMemoryFlags(request.project) : null;
    const base = plain ? await workbench({ ...request, project: plain }) : null;
    const used = { ...loadWeights(wb, request), ...moveWeights(wb, request) };
    const result = watched(`the Lab's ${q.view} view`, () => viewOf(wb, q, base));
    return { ...result, loss: wb.loss, nodes: wb.nodes, ...used } as InspectResult;
  }

  function viewOf(
    wb: Workbench,
    q: Exclude<InspectRequest['query'], { view: 'gradcheck' }>,
    base: Workbench | null,
  ) {
    let result: ViewResult;
    switch (q.view) {
      case 'boundary':
        result = boundaryView(wb, q.grid);
        break;
      case 'forward':
        result = forwardView(wb, q.samples);
        break;
      case 'blame':
        result = blameView(wb, q.node, q.sample, q.samples);
        break;
      case 'jacobian':
        result = jacobianView(wb, q);
        break;
      case 'memory':
        result = memoryView(wb, q.batch, base);
        break;
      case 'steps':
        result = stepsView(wb, q.samples);
        break;
      case 'neurons':
        result = neuronsView(wb, q.grid, q.maxUnits);
        break;
    }
    return result;
  }

  async function run(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const c = current;
        if (!c) break;
        let msg: FromWorker;
        try {
          msg = { type: answer, seq: c.seq, result: await compute(c.request) };
        } catch (e) {
          msg = { type: answer, seq: c.seq, error: toWireError(e) };
        }
        // A newer request replaced this one while it was computed: it gets its own answer.
        if (current?.seq === c.seq) deps.post(msg);
        // Counted from the end of the work, so a slow view also leaves the run time to train.
        lastAt = deps.now();
      } while (again);
    } finally {
      busy = false;
    }
  }

  return {
    async handle(msg) {
      current = msg.request ? { seq: msg.seq, request: msg.request } : null;
      if (current) await run();
    },
    tick(force = false) {
      const c = current;
      if (!c || c.request.weights.from !== 'run') return;
      if (!LIVE_VIEWS.includes(c.request.query.view)) return;
      if (!force && deps.now() - lastAt < interval) return;
      void run();
    },
  };
}

/** Put the hand-moved weights over the loaded ones (the workbench's copy, never the run's). */
function moveWeights(wb: Workbench, request: InspectRequest): Pick<ResultContext, 'moved'> {
  const edits = request.edits ?? [];
  if (edits.length === 0) return {};
  let moved = 0;
  for (const e of edits) {
    const t = wb.model.weights.get(e.name);
    if (!t || !Number.isInteger(e.index) || e.index < 0 || e.index >= t.data.length) continue;
    if (!Number.isFinite(e.value)) continue;
    t.data[e.index] = e.value;
    moved++;
  }
  return { moved };
}

function emptyContext(request: InspectRequest): ResultContext {
  const loss = (request.project.loss?.type ?? 'MSE') as ResultContext['loss'];
  return { loss, weights: 'initial', epoch: 0, nodes: [] };
}

/** The project with every node's frozen, detach and recompute flags off (null: none has one). */
function withoutMemoryFlags(p: InspectRequest['project']): InspectRequest['project'] | null {
  const flagged = (n: (typeof p.nodes)[number]) =>
    n.frozen || n.detach || (n.memory !== undefined && n.memory !== 'store');
  if (!p.nodes.some(flagged)) return null;
  return {
    ...p,
    nodes: p.nodes.map((n) => {
      if (!flagged(n)) return n;
      const { frozen: _f, detach: _d, memory: _m, ...rest } = n;
      return rest;
    }),
  };
}

/** Everything of the request that changes the workbench (not the layout or the name). */
function benchKey(project: InspectRequest['project'], dataStamp: string): string {
  const { layout: _l, name: _n, description: _d, ...rest } = project as Record<string, unknown>;
  return JSON.stringify([rest, dataStamp]);
}

function sameDefs(a: Map<string, LayerDefinition>, b: Map<string, LayerDefinition>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
