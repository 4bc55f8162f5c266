// Training as the UI sees it: the run's state, progress and per-epoch history from the worker,
// the last weights it sent (so export works after Stop), importing and exporting weights, and
// the run kept with the project (its `trained` section): saved with it, reopened from it, and
// continued by Train.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef, watch } from 'vue';
import type { ProjectInput } from '../../core/graph/schema';
import type { ProjectDocument } from '../../core/project/document';
import type { TrainerState } from '../../core/train/trainer-state';
import type { NamedTensors } from '../../core/io/named-tensors';
import type { ImportedModel } from '../../core/import/import-onnx';
import { matchWeights } from '../../core/io/match-weights';
import { readSafetensors } from '../../core/io/safetensors';
import { readWeightsJson } from '../../core/io/weights-json';
import { parseWeightsMetadata } from '../../core/io/weights-metadata';
import type { Normalization } from '../../core/data/normalize';
import { isLabError } from '../../core/util/errors';
import type { FromWorker, SavedRun, WireError } from '../worker/protocol';
import type {
  EngineInfo,
  EpochStats,
  MemoryReport,
  Progress,
  RunPosition,
  RunState,
} from '../worker/protocol-types';
import { fromWireTensors, savedRunOf, toWireError } from '../worker/wire';
import { heldByWorker, heldWeightsKey } from './held-weights';
import { clonePlain } from './clone';
import { useDataStore } from './data';
import { type FailedCheck, failedCheckKey, failedChecks } from './failed-checks';
import { needsCheck, useGraphStore } from './graph';
import { draftBlocker } from './graph-problems';
import { usePluginsStore } from './plugins';
import { services } from './services';
import { loadKernelMode, saveKernelMode } from './kernel-preference';
import type { KernelMode } from '../../core/ops/kernels/wasm-kernel';
import { canResume, hasEpochsLeft } from './training-resume';
import { stuckMessage } from './training-stuck';
import { useUiStore } from './ui';

interface TrainOptions {
  /** Start from the last trained weights instead of the seed. */
  continue?: boolean;
  startPaused?: boolean;
  /** Train one batch once the run has started (Step on a network not yet training). */
  step?: boolean;
}

/** Per-epoch curves, one entry per finished epoch (arrays are appended in place). */
export interface TrainingHistory {
  epochs: number[];
  trainLoss: number[];
  testLoss: (number | null)[];
  trainAccuracy: (number | null)[];
  testAccuracy: (number | null)[];
}

function emptyHistory(): TrainingHistory {
  return markRaw({ epochs: [], trainLoss: [], testLoss: [], trainAccuracy: [], testAccuracy: [] });
}

function historyOf(stats: EpochStats[]): TrainingHistory {
  return markRaw({
    epochs: stats.map((s) => s.epoch),
    trainLoss: stats.map((s) => s.trainLoss),
    testLoss: stats.map((s) => s.testLoss),
    trainAccuracy: stats.map((s) => s.trainAccuracy),
    testAccuracy: stats.map((s) => s.testAccuracy),
  });
}

/** What the toolbar shows for a saved run: where it stopped, and its last batch's loss. */
function progressOf(s: TrainerState, epochs: number, finished: boolean): Progress | null {
  if (s.loop.lastLoss === null) return null;
  const batchesPerEpoch = Math.ceil(s.data.samples / s.batchSize);
  const mid = s.loop.batch > 0;
  return {
    state: finished ? 'finished' : 'stopped',
    epoch: mid ? s.loop.epoch + 1 : s.loop.epoch,
    epochs,
    batch: mid ? s.loop.batch - 1 : batchesPerEpoch - 1,
    batchesPerEpoch,
    loss: s.loop.lastLoss,
    samplesPerSecond: 0,
    steps: 0,
    stepsPerSecond: null,
    recentLosses: [],
  };
}

const ACTIVE: RunState[] = ['running', 'paused'];

/** A weights file's tensors and the input normalization in it (safetensors or JSON). */
function readWeightsFileBytes(
  name: string,
  bytes: Uint8Array,
): { tensors: NamedTensors; normalization: Normalization | null } {
  if (/\.json$/i.test(name)) {
    const w = readWeightsJson(new TextDecoder().decode(bytes));
    return { tensors: w.tensors, normalization: w.normalization ?? null };
  }
  const st = readSafetensors(bytes);
  return {
    tensors: st.tensors,
    normalization: parseWeightsMetadata(st.metadata).normalization ?? null,
  };
}

export const useTrainingStore = defineStore('training', () => {
  const graph = useGraphStore();
  const ui = useUiStore();
  const plugins = usePluginsStore();
  /** Failed checks the user chose to train with anyway (failedCheckKey), for this session. */
  const agreed = new Set<string>();
  let confirmFailedChecks: ((failed: FailedCheck[]) => Promise<boolean>) | null = null;
  let asking = false;
  const data = useDataStore();

  const state = ref<RunState>('idle');
  /** Train was pressed; the worker has not said it runs yet. */
  const starting = ref(false);
  /** Why the run failed, with the place (node, plugin, field) to show it at. */
  const error = shallowRef<WireError | null>(null);
  /** Something to tell the user that is not an error (the worker was ended, weights loaded). */
  const notice = ref<string | null>(null);
  const progress = shallowRef<Progress | null>(null);
  /** Curves for the charts: watch `historyVersion` (or the ref) to redraw. */
  const history = shallowRef<TrainingHistory>(emptyHistory());
  const historyVersion = ref(0);
  /** The last weights the worker sent, and the project they were trained with. */
  const weights = shallowRef<NamedTensors | null>(null);
  const weightsEpoch = ref(0);
  /** Exactly where the run was when they were sent (null: not from a run). */
  const weightsAt = shallowRef<RunPosition | null>(null);
  const weightsProject = shallowRef<ProjectInput | null>(null);
  /** The input normalization those weights were trained with (null: raw inputs). */
  const weightsNormalization = shallowRef<Normalization | null>(null);
  /** Imported weights the next run starts from (cleared by reset()). */
  const startWeights = shallowRef<NamedTensors | null>(null);
  /**
   * startWeights are the ones that still fit after a layer changed: the worker keeps those and
   * initialises the others from the seed, instead of asking for every weight.
   */
  const startWeightsPartial = ref(false);
  /** Every problem with the last weights file that failed to load. */
  const importProblems = shallowRef<string[]>([]);
  const memory = shallowRef<MemoryReport | null>(null);
  /** Why the last memory measurement failed. */
  const memoryError = shallowRef<WireError | null>(null);
  /** The matrix kernel the worker trains with, and on how many threads. */
  const engine = shallowRef<EngineInfo | null>(null);
  /** The kernel mode the next run trains with (the user's choice, kept between sessions). */
  const kernelMode = ref<KernelMode>(loadKernelMode());
  /** The project of the current (or last) run. */
  const runProject = shallowRef<ProjectInput | null>(null);
  /**
   * Steps a second runs train at, so that each step can be watched (null: full speed). A
   * setting of the app, not of the project: it holds for this run and the next.
   */
  const speed = ref<number | null>(null);
  /**
   * The run kept with the project, as its file's `trained` section: the opened file's, then the
   * worker's latest snapshot of the run (every few seconds, and when it pauses or ends).
   */
  const trained = shallowRef<SavedRun | null>(null);
  /** The project `trained` was trained with. */
  const trainedProject = shallowRef<ProjectInput | null>(null);
  /** Bumped whenever `trained` changes: the unsaved marker and the autosave follow it. */
  const trainedVersion = ref(0);
  const savedTrainedVersion = ref(0);
  /** Why the opened file's training could not be used (the project opened without it). */
  const trainedProblem = shallowRef<WireError | null>(null);

  /** The user dismissed the stuck message of this run (until the next run). */
  const stuckDismissed = ref(false);
  /**
   * Why the run on screen will not recover though nothing is non-finite: its loss stays put,
   * worse than guessing (core/train/stuck.ts); null when it learns, or was dismissed.
   */
  const stuck = computed(() => {
    void historyVersion.value;
    if (stuckDismissed.value) return null;
    const project = runProject.value ?? trainedProject.value;
    return stuckMessage(history.value.trainLoss, project, graph.summary);
  });
  const active = computed(() => starting.value || ACTIVE.includes(state.value));
  const running = computed(() => state.value === 'running');
  const paused = computed(() => state.value === 'paused');
  const loss = computed(() => progress.value?.loss ?? null);
  const epoch = computed(() => progress.value?.epoch ?? 0);
  /** Where the run stands, the counter every view shows (epoch 0 before the first step). */
  const position = computed<RunPosition>(() => {
    const p = progress.value;
    if (!p) return { epoch: 0, batch: 0, batchesPerEpoch: 0 };
    return { epoch: p.epoch, batch: p.batch + 1, batchesPerEpoch: p.batchesPerEpoch };
  });
  const samplesPerSecond = computed(() => progress.value?.samplesPerSecond ?? 0);
  /**
   * Why Train cannot start a run now (a problem in the project, or a field holding text it does
   * not take), or null. Resuming is allowed.
   */
  const blocked = computed(() =>
    state.value === 'paused'
      ? null
      : (graph.blocker ?? draftBlocker(Object.values(ui.fieldErrors))),
  );
  const canTrain = computed(
    () => !starting.value && state.value !== 'running' && blocked.value === null,
  );
  // Pause holds a run that is still starting, too: the worker applies it as the run begins.
  const canPause = computed(() => state.value === 'running' || starting.value);
  const canStep = computed(
    () => !starting.value && state.value !== 'running' && blocked.value === null,
  );
  const canStop = computed(() => active.value);
  const canReset = computed(
    () => state.value !== 'idle' || history.value.epochs.length > 0 || weights.value !== null,
  );
  /** The node the error happened at, to mark it on the canvas. */
  const errorNode = computed(() => error.value?.place.node ?? null);
  const hasWeights = computed(() => weights.value !== null);
  /** The kept run differs from what was last saved or opened. */
  const unsavedTraining = computed(() => trainedVersion.value !== savedTrainedVersion.value);
  /** Train continues the kept run (it has epochs left, and the project is the one it was trained on). */
  const resumable = computed(
    () =>
      trained.value !== null &&
      trainedProject.value !== null &&
      canResume(trained.value, trainedProject.value, graph.project),
  );

  // A failed run's error is about the project it ran: once the network, its data or its settings
  // change, it no longer applies (the live check shows, on its node, whatever is wrong now).
  watch(
    () => graph.project,
    (now, before) => {
      if (error.value && !active.value && needsCheck(before, now)) error.value = null;
    },
  );

  function receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'state':
        starting.value = false;
        state.value = msg.state;
        if (msg.error) error.value = msg.error;
        if (progress.value) progress.value = { ...progress.value, state: msg.state };
        break;
      case 'progress':
        progress.value = msg.progress;
        break;
      case 'epochs':
        addEpochs(msg.stats);
        break;
      case 'weights':
        weights.value = markRaw(fromWireTensors(msg.tensors));
        heldByWorker(weights.value, msg.key);
        weightsEpoch.value = msg.epoch;
        weightsAt.value = msg.at;
        weightsProject.value = runProject.value;
        weightsNormalization.value = msg.normalization ?? null;
        break;
      case 'error':
        if (msg.id === undefined) error.value = msg.error;
        break;
      case 'engine':
        engine.value = msg.engine;
        break;
      case 'trained':
        keep(msg.trained, runProject.value);
        break;
    }
  }

  function keep(t: SavedRun | null, project: ProjectInput | null): void {
    if (t === null && trained.value === null) return;
    trained.value = t && markRaw(t);
    trainedProject.value = t ? project : null;
    trainedVersion.value++;
  }

  function addEpochs(stats: EpochStats[]): void {
    const h = history.value;
    for (const s of stats) {
      h.epochs.push(s.epoch);
      h.trainLoss.push(s.trainLoss);
      h.testLoss.push(s.testLoss);
      h.trainAccuracy.push(s.trainAccuracy);
      h.testAccuracy.push(s.testAccuracy);
    }
    historyVersion.value++;
    triggerRef(history);
  }

  function clearRun(): void {
    history.value = emptyHistory();
    historyVersion.value++;
    progress.value = null;
    error.value = null;
    notice.value = null;
    stuckDismissed.value = false;
  }

  /**
   * Train: resumes a paused run; continues the kept run where it stopped (resumable); otherwise
   * starts a new one from the seed (or from imported weights; or, with `continue`, from the last
   * trained weights).
   */
  function train(o: TrainOptions = {}): void {
    if (state.value === 'paused' && !o.startPaused) return resume();
    if (starting.value || state.value === 'running' || blocked.value) return;
    // A plugin layer that failed its load-time gradient check: ask first (once per failure).
    const ask = failedChecks(graph.project, (t) => plugins.layerInfo(t)).filter(
      (f) => !agreed.has(failedCheckKey(f)),
    );
    if (ask.length && confirmFailedChecks) {
      if (asking) return;
      asking = true;
      void confirmFailedChecks(ask)
        .then((ok) => {
          asking = false;
          if (!ok) return;
          for (const f of ask) agreed.add(failedCheckKey(f));
          train(o);
        })
        .catch(() => (asking = false));
      return;
    }
    startRun(o);
  }

  /** Set by the dialog that asks (ConfirmFailedCheck.vue); without one, Train does not ask. */
  function setConfirmFailedChecks(f: ((failed: FailedCheck[]) => Promise<boolean>) | null): void {
    confirmFailedChecks = f;
  }

  function startRun(o: TrainOptions): void {
    const p = graph.project;
    const missing = data.missingFor(p);
    const resumeFrom = !o.continue && !startWeights.value && resumable.value ? trained.value : null;
    const left = trained.value;
    if (resumeFrom) {
      // The curves go on from where they are.
      error.value = null;
      notice.value = null;
      trainedProblem.value = null;
    } else {
      clearRun();
      if (left && !startWeights.value && hasEpochsLeft(left, p)) {
        notice.value = `The network, its data or its optimizer changed since it was trained to epoch ${left.epoch}: training starts from the beginning.`;
      }
      keep(null, null);
    }
    if (missing !== null) {
      error.value = {
        code: 'DATA',
        message: `the data file '${missing}' is not loaded: pick it again in the data panel`,
        place: { path: 'data.source', file: missing },
      };
      state.value = 'failed';
      return;
    }
    const from = o.continue ? weights.value : startWeights.value;
    const key = from ? heldWeightsKey(from) : undefined;
    runProject.value = p;
    starting.value = true;
    services().worker.post({ type: 'speed', stepsPerSecond: speed.value });
    services().worker.post(
      {
        type: 'train',
        project: clonePlain(p),
        ...(key ? { weights: key } : {}),
        ...(key && !o.continue && startWeightsPartial.value ? { weightsWhereTheyFit: true } : {}),
        ...(resumeFrom ? { resume: resumeFrom.text } : {}),
        ...(o.startPaused ? { startPaused: true } : {}),
        kernel: kernelMode.value,
      },
      [],
    );
    if (o.step) services().worker.post({ type: 'step' });
  }

  function pause(): void {
    if (state.value === 'running' || starting.value) services().worker.post({ type: 'pause' });
  }

  /** Train at this many steps a second from now on (null: full speed). */
  function setSpeed(stepsPerSecond: number | null): void {
    speed.value = stepsPerSecond;
    services().worker.post({ type: 'speed', stepsPerSecond });
  }

  function resume(): void {
    if (state.value === 'paused') services().worker.post({ type: 'resume' });
  }

  /** One batch: from a paused run, or a new run that starts paused. */
  function step(): void {
    if (state.value === 'running' || blocked.value) return;
    if (state.value !== 'paused' && !starting.value) train({ startPaused: true, step: true });
    else services().worker.post({ type: 'step' });
  }

  /** Stop the run; a worker that does not answer within a second is ended (see notice). */
  async function stop(): Promise<void> {
    if (!active.value) return;
    const how = await services().worker.stop();
    if (how === 'terminated') markEnded(notice.value);
  }

  function markEnded(reason: string | null): void {
    starting.value = false;
    state.value = 'stopped';
    if (progress.value) progress.value = { ...progress.value, state: 'stopped' };
    if (reason) notice.value = reason;
  }

  /** Stop if need be and forget the run: curves, progress, errors and weights. */
  async function reset(): Promise<void> {
    if (active.value) await stop();
    clearRun();
    state.value = 'idle';
    weights.value = null;
    weightsEpoch.value = 0;
    weightsAt.value = null;
    weightsProject.value = null;
    weightsNormalization.value = null;
    startWeights.value = null;
    startWeightsPartial.value = false;
    importProblems.value = [];
    memory.value = null;
    runProject.value = null;
    trainedProblem.value = null;
    keep(null, null);
  }

  /**
   * A project was opened (or a new one started): the run before is forgotten, and the file's
   * saved run, if any, shown (curves, epoch, weights for the Lab views and export) and kept for
   * Train to continue. The worker checks that it fits the project; if it does not, the project
   * stays open without it and `trainedProblem` says why.
   */
  async function opened(
    doc: Pick<ProjectDocument, 'trained' | 'trainedError'> | null,
    project: ProjectInput,
  ): Promise<void> {
    await reset();
    if (doc?.trainedError) trainedProblem.value = toWireError(doc.trainedError);
    const s = doc?.trained ?? null;
    if (s) {
      const finished = !hasEpochsLeft(s.loop, project);
      history.value = historyOf(s.history);
      historyVersion.value++;
      progress.value = progressOf(s, project.training?.epochs ?? 100, finished);
      state.value = finished ? 'finished' : 'stopped';
      weights.value = markRaw(s.weights);
      weightsEpoch.value = s.loop.epoch;
      weightsProject.value = project;
      weightsNormalization.value = s.normalization;
      keep(savedRunOf(s), project);
    }
    savedTrainedVersion.value = trainedVersion.value;
    // Checked in the background: the project is on screen at once.
    if (s) void check(trained.value!, project);
  }

  async function check(t: SavedRun, project: ProjectInput): Promise<void> {
    const { worker } = services();
    let reply;
    try {
      reply = await worker.request({
        type: 'checkTrained',
        id: worker.nextId(),
        project: clonePlain(project),
        trained: t.text,
      });
    } catch {
      return; // checked again when it resumes
    }
    if (reply.type !== 'trainedChecked' || !reply.error || trained.value !== t) return;
    await reset();
    trainedProblem.value = reply.error;
    savedTrainedVersion.value = trainedVersion.value;
  }

  /**
   * The run to save with the project: a fresh snapshot from the worker while a run is going on
   * (saving during training keeps the state of that moment), else the kept one.
   */
  async function trainedForSave(): Promise<SavedRun | null> {
    if (!starting.value && ACTIVE.includes(state.value)) {
      const { worker } = services();
      try {
        const reply = await worker.request({ type: 'getTrained', id: worker.nextId() });
        if (reply.type === 'trained') keep(reply.trained, runProject.value);
      } catch {
        // The last snapshot (a few seconds old) is saved instead.
      }
    }
    return trained.value;
  }

  /** The kept run as of `version` is what the project file now holds. */
  function markTrainedSaved(version = trainedVersion.value): void {
    savedTrainedVersion.value = version;
  }

  /**
   * Layers of these types were changed (saved in the layer editor) and loaded again. A network
   * using them keeps its weights where their shapes allow: when every weight still fits, Train
   * continues the kept run with the new code; otherwise the next run starts from the weights
   * that still fit and initialises the others. Says what it did, or null when nothing used them.
   */
  async function layersChanged(types: string[]): Promise<string | null> {
    const p = graph.project;
    const using = p.nodes.filter((n) => types.includes(n.type)).map((n) => n.id);
    if (!using.length) return null;
    const nodes = using.join(', ');
    if (active.value)
      return `The run in progress keeps the code it started with: Stop, then Train, and ${nodes} run${using.length === 1 ? 's' : ''} the new one.`;
    const w = weights.value;
    if (!w) return `Train runs ${nodes} with the new code.`;
    const { worker } = services();
    let reply;
    try {
      reply = await worker.request({
        type: 'compile',
        id: worker.nextId(),
        project: clonePlain(p),
      });
    } catch {
      return null;
    }
    if (reply.type !== 'compiled') return null;
    const want = reply.summary.weightShapes;
    const fits = (name: string) => name in w && sameDims(w[name].shape, want[name]);
    const names = Object.keys(want);
    const changed = names.filter((n) => !fits(n));
    if (!changed.length && Object.keys(w).every((n) => n in want))
      return `The weights still fit: Train continues from them with the new code of ${nodes}.`;
    const kept: NamedTensors = {};
    for (const n of names) if (fits(n)) kept[n] = w[n];
    startWeights.value = markRaw(kept);
    startWeightsPartial.value = true;
    keep(null, null); // the run cannot go on as it was: the next one starts from these weights
    const what = changed
      .map((n) =>
        n in w ? `${n} ${formatDims(w[n].shape)} → ${formatDims(want[n])}` : `${n} (new)`,
      )
      .join(', ');
    return `Kept ${names.length - changed.length} of ${names.length} weights; ${what} start${changed.length === 1 ? 's' : ''} from the initialisation.`;
  }

  /**
   * Load weights (safetensors or JSON) to start training from; they must match the network
   * exactly, and every mismatch is listed in importProblems.
   */
  async function importWeights(): Promise<boolean> {
    const file = await services().host.openWeights();
    if (!file) return false;
    importProblems.value = [];
    try {
      const { tensors, normalization } = readWeightsFileBytes(file.name, file.bytes);
      const summary = graph.summary;
      if (!summary?.ok) {
        throw new Error('the network has problems: fix them first, then load the weights again');
      }
      matchWeights(summary.weightShapes, tensors);
      startWeights.value = markRaw(tensors);
      startWeightsPartial.value = false;
      weights.value = markRaw(tensors);
      keep(null, null); // a run from these weights starts anew
      weightsEpoch.value = 0;
      weightsAt.value = null;
      weightsProject.value = graph.project;
      weightsNormalization.value = normalization;
      notice.value = `Loaded the weights from ${file.name}: training starts from them.`;
      return true;
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      const message = text.startsWith(file.name) ? text : `${file.name}: ${text}`;
      importProblems.value =
        isLabError(e) && e.problems.length
          ? [message, ...e.problems.filter((p) => p !== message)]
          : [message];
      return false;
    }
  }

  /**
   * Weights that came with an imported model (its project is the one on screen now): training
   * starts from them and Export writes them. The notice says so, with what the import noted.
   */
  function useImportedWeights(
    imported: Pick<ImportedModel, 'weights' | 'normalization' | 'notes'>,
    project: ProjectInput,
    file: string,
  ): void {
    const { notes } = imported;
    importProblems.value = [];
    startWeights.value = markRaw(imported.weights);
    weights.value = markRaw(imported.weights);
    weightsEpoch.value = 0;
    weightsProject.value = project;
    weightsNormalization.value = imported.normalization;
    const more = notes.length ? ` Note: ${notes.join('; ')}.` : '';
    notice.value = `Imported ${file} with its weights: training starts from them.${more}`;
  }

  /** Measure what one training step holds for backward, per node (for the memory view). */
  async function measureMemory(batch?: number): Promise<MemoryReport | null> {
    const { worker } = services();
    const p = graph.project;
    const reply = await worker.request({
      type: 'measureMemory',
      id: worker.nextId(),
      project: clonePlain(p),
      ...(batch ? { batch } : {}),
    });
    if (reply.type === 'memory') {
      memoryError.value = null;
      return (memory.value = markRaw(reply.report));
    }
    if (reply.type === 'error') memoryError.value = reply.error;
    return null;
  }

  function setKernelMode(mode: KernelMode): void {
    kernelMode.value = mode;
    saveKernelMode(mode);
  }

  const { worker } = services();
  worker.subscribe(receive);
  worker.onRestart((reason, cause) => {
    if (!active.value) {
      notice.value = reason;
      return;
    }
    if (cause.kind === 'stop') return markEnded(reason);
    // The run could not go on: it failed, on the node that hung when that is known. The weights
    // the worker last sent stay (export, continue), and the network on screen is untouched.
    starting.value = false;
    state.value = 'failed';
    if (progress.value) progress.value = { ...progress.value, state: 'failed' };
    error.value = {
      code: cause.plugin ? 'PLUGIN' : 'OP',
      message: reason,
      place: {
        ...(cause.node ? { node: cause.node } : {}),
        ...(cause.plugin ? { plugin: cause.plugin } : {}),
      },
    };
  });

  return {
    setConfirmFailedChecks,
    state,
    starting,
    error,
    notice,
    stuck,
    stuckDismissed,
    progress,
    history,
    historyVersion,
    weights,
    weightsEpoch,
    weightsAt,
    weightsProject,
    speed,
    weightsNormalization,
    startWeights,
    useImportedWeights,
    importProblems,
    memory,
    engine,
    kernelMode,
    setKernelMode,
    memoryError,
    active,
    running,
    paused,
    loss,
    epoch,
    position,
    samplesPerSecond,
    blocked,
    canTrain,
    canPause,
    canStep,
    canStop,
    canReset,
    errorNode,
    hasWeights,
    trained,
    trainedProject,
    trainedVersion,
    trainedProblem,
    unsavedTraining,
    resumable,
    opened,
    trainedForSave,
    markTrainedSaved,
    train,
    pause,
    setSpeed,
    resume,
    step,
    stop,
    reset,
    importWeights,
    layersChanged,
    measureMemory,
  };
});

function sameDims(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
}

function formatDims(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
