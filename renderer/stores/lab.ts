// The Lab views: which one is open, its settings, and the data the worker computed for it.
// The worker is told which view is open; it answers once, and again while training for views
// whose numbers change as the network learns (a few times a second at most).
import { defineStore } from 'pinia';
import { computed, markRaw, nextTick, reactive, ref, shallowRef, watch } from 'vue';
import type {
  ForwardResult,
  InspectRequest,
  InspectResult,
  LabViewId,
  ResultContext,
  ViewQuery,
  WeightEdit,
} from '../lab/inspect-types';
import { recordTime } from '../lab/draw/canvas';
import { LIVE_VIEWS } from '../lab/inspect-types';
import type { FromWorker, WireError } from '../worker/protocol';
import { clonePlain } from './clone';
import { useGraphStore } from './graph';
import { usePluginsStore } from './plugins';
import { services } from './services';
import { useTrainingStore } from './training';
import { useUiStore } from './ui';
import { viewKey, viewWeights } from './view-weights';

/** ‖∂L/∂W‖ of one weight tensor over training (x: epochs, fractional). */
export interface GradSeries {
  name: string;
  x: number[];
  y: number[];
}

export type ViewData<V extends LabViewId> = Extract<InspectResult, { view: V }> & ResultContext;

export const useLabStore = defineStore('lab', () => {
  const graph = useGraphStore();
  const training = useTrainingStore();

  const view = ref<LabViewId>('boundary');
  /** How many Lab panels are on screen (the sidebar tab, the main area). */
  const viewers = ref(0);
  const open = computed(() => viewers.value > 0);

  const settings = reactive({
    grid: 64,
    samples: 8,
    blame: { node: null as string | null, sample: 0 },
    jacobian: { from: null as string | null, to: null as string | null, sample: 0, path: 0 },
    memoryBatch: null as number | null,
    stepSamples: 4,
    gradcheckLayer: null as string | null,
  });

  /** The last data per view (kept when switching views, so coming back shows something). */
  const results = shallowRef<Partial<Record<LabViewId, InspectResult>>>({});
  const errors = shallowRef<Partial<Record<LabViewId, WireError>>>({});
  /** A request is out and not answered yet. */
  const pending = ref(false);
  /** Answers received, per view (the views' tests and charts follow it). */
  const updates = ref(0);
  /** ‖∇W‖ per weight over the run, from the forward view's updates. */
  const gradSeries = shallowRef<GradSeries[]>([]);
  const gradVersion = ref(0);
  /** Where the step-by-step view is in its trace (not a setting: moving asks the worker nothing). */
  const stepIndex = ref(0);
  /** The step-by-step view selects the current node in the builder too. */
  const followInBuilder = ref(true);
  /**
   * Weights moved by hand (Blame): the views look at the network with them, training never
   * does. Forgotten when the network, its weights or the run change.
   */
  const moved = shallowRef<WeightEdit[]>([]);

  let seq = 0;
  let scheduled = false;

  const current = computed(() => results.value[view.value] ?? null);
  const currentError = computed(() => errors.value[view.value] ?? null);

  function result<V extends LabViewId>(v: V): ViewData<V> | null {
    return (results.value[v] as ViewData<V> | undefined) ?? null;
  }

  function query(): ViewQuery {
    switch (view.value) {
      case 'boundary':
        return { view: 'boundary', grid: settings.grid };
      case 'forward':
        return { view: 'forward', samples: settings.samples };
      case 'blame':
        return { view: 'blame', ...settings.blame, samples: settings.samples };
      case 'jacobian':
        return { view: 'jacobian', ...settings.jacobian };
      case 'memory':
        return { view: 'memory', batch: settings.memoryBatch };
      case 'steps':
        return { view: 'steps', samples: settings.stepSamples };
      case 'gradcheck':
        return { view: 'gradcheck', layer: settings.gradcheckLayer };
    }
  }

  /** Ask the worker for the open view's data now (or tell it that no view is open). */
  function send(): void {
    seq++;
    const { worker } = services();
    if (!open.value) {
      pending.value = false;
      worker.post({ type: 'inspect', seq, request: null });
      return;
    }
    const p = graph.project;
    const source = viewWeights(training);
    const request: InspectRequest = {
      query: query(),
      project: clonePlain(p),
      weights: source,
      ...(moved.value.length ? { edits: moved.value.map((e) => ({ ...e })) } : {}),
    };
    pending.value = true;
    worker.post({ type: 'inspect', seq, request });
  }

  /** Several changes in one turn send one request. */
  function refresh(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      send();
    });
  }

  function receive(msg: FromWorker): void {
    if (msg.type !== 'inspection' || msg.seq !== seq) return;
    const t0 = performance.now();
    pending.value = false;
    if (msg.error || !msg.result) {
      const v = view.value;
      errors.value = { ...errors.value, [v]: msg.error ?? unknownError() };
      return;
    }
    const r = markRaw(msg.result);
    if (r.view === 'neurons') return; // the canvas's, never asked for here
    if (r.view === 'forward' && r.weights === 'run') recordGradients(r);
    results.value = { ...results.value, [r.view]: r };
    if (errors.value[r.view]) {
      const rest = { ...errors.value };
      delete rest[r.view];
      errors.value = rest;
    }
    updates.value++;
    // The whole cost of an answer on the UI thread: the store, the view's update, its drawings
    // (nextTick after the changes above resolves once Vue has flushed them).
    void nextTick(() => recordTime(`update:${r.view}`, performance.now() - t0));
  }

  function recordGradients(r: ForwardResult & ResultContext): void {
    const p = training.progress;
    const x = p ? p.epoch - 1 + p.batch / Math.max(1, p.batchesPerEpoch) : r.epoch;
    const byName = new Map(gradSeries.value.map((s) => [s.name, s]));
    const next: GradSeries[] = r.gradNorms.map(({ name, norm }) => {
      const s = byName.get(name) ?? { name, x: [], y: [] };
      // A second answer for the same moment (a pause right after progress) replaces the first.
      if (s.x.length && s.x[s.x.length - 1] >= x) {
        s.x.pop();
        s.y.pop();
      }
      s.x.push(x);
      s.y.push(norm);
      return s;
    });
    gradSeries.value = markRaw(next);
    gradVersion.value++;
  }

  function clearGradients(): void {
    gradSeries.value = [];
    gradVersion.value++;
  }

  /** A Lab panel came on screen. */
  function attach(): void {
    viewers.value++;
  }

  /** A Lab panel went away. */
  function detach(): void {
    viewers.value = Math.max(0, viewers.value - 1);
  }

  function show(v: LabViewId): void {
    view.value = v;
  }

  /**
   * Open the Jacobian view on ∂to/∂from (null: the Input, the output), for a lesson or a link;
   * `path` picks which of a DAG's paths the pair check walks.
   */
  function showJacobian(
    from: string | null,
    to: string | null,
    opts: { sample?: number; path?: number } = {},
  ): void {
    Object.assign(settings.jacobian, { from, to, path: opts.path ?? 0 });
    if (opts.sample !== undefined) settings.jacobian.sample = opts.sample;
    view.value = 'jacobian';
  }

  /** Set one weight entry for the views (a second move of the same entry replaces the first). */
  function moveWeight(name: string, index: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const rest = moved.value.filter((e) => e.name !== name || e.index !== index);
    moved.value = [...rest, { name, index, value }];
    refresh();
  }

  /** Put every moved weight back. */
  function clearMoved(): void {
    if (moved.value.length === 0) return;
    moved.value = [];
    refresh();
  }

  /** What the views compare: the project without its layout and name. */
  const projectKey = computed(() => viewKey(graph.project));

  // A plugin just loaded (or the user asked from its announcement): its layer in the Gradient
  // check view, asked for before the Lab's code may have loaded.
  watch(
    () => useUiStore().gradcheckPick,
    (pick) => {
      if (!pick) return;
      settings.gradcheckLayer = pick.layer;
      if (pick.show) view.value = 'gradcheck';
    },
    { immediate: true },
  );
  watch([view, open, () => JSON.stringify(settings), projectKey], () => refresh());
  // The run started or ended: its live weights, or the last ones it sent.
  watch(
    () => training.active,
    () => refresh(),
  );
  // Weights changed while no run is on (loaded from a file, or Reset): live views follow.
  watch(
    () => [training.weights, training.weightsEpoch],
    () => {
      if (!training.active && LIVE_VIEWS.includes(view.value)) refresh();
    },
  );
  // A new run starts new gradient curves; so does a different network.
  watch(
    () => training.starting,
    (starting) => {
      if (!starting) return;
      clearGradients();
      clearMoved();
    },
  );
  // A plugin file changed (loaded, fixed, broken): the gradient check looks at it again.
  watch(
    () => usePluginsStore().statuses,
    () => view.value === 'gradcheck' && refresh(),
  );
  watch(projectKey, () => {
    clearGradients();
    clearMoved();
  });
  watch(
    () => training.weights,
    () => clearMoved(),
  );

  services().worker.subscribe(receive);
  services().worker.onRestart(() => open.value && refresh());

  return {
    view,
    viewers,
    open,
    settings,
    results,
    errors,
    pending,
    updates,
    gradSeries,
    gradVersion,
    stepIndex,
    followInBuilder,
    moved,
    current,
    currentError,
    result,
    attach,
    detach,
    show,
    showJacobian,
    moveWeight,
    clearMoved,
    refresh,
    send,
  };
});

function unknownError(): WireError {
  return { code: 'OP', message: 'the worker sent no data for this view', place: {} };
}
