// Training as the UI sees it: the run's state, progress and per-epoch history from the worker,
// the last weights it sent (so export works after Stop), and importing and exporting weights.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef } from 'vue';
import type { ProjectInput } from '../../core/graph/schema';
import type { NamedTensors } from '../../core/io/named-tensors';
import { matchWeights } from '../../core/io/match-weights';
import { readSafetensors } from '../../core/io/safetensors';
import { readWeightsJson } from '../../core/io/weights-json';
import { parseWeightsMetadata } from '../../core/io/weights-metadata';
import type { Normalization } from '../../core/data/normalize';
import { isLabError } from '../../core/util/errors';
import type { FromWorker, WireError } from '../worker/protocol';
import type {
  EngineInfo,
  EpochStats,
  MemoryReport,
  Progress,
  RunState,
} from '../worker/protocol-types';
import { fromWireTensors, toWireTensors, transferList } from '../worker/wire';
import { clonePlain } from './clone';
import { useDataStore } from './data';
import { useGraphStore } from './graph';
import { services } from './services';

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
  const weightsProject = shallowRef<ProjectInput | null>(null);
  /** The input normalization those weights were trained with (null: raw inputs). */
  const weightsNormalization = shallowRef<Normalization | null>(null);
  /** Imported weights the next run starts from (cleared by reset()). */
  const startWeights = shallowRef<NamedTensors | null>(null);
  /** Every problem with the last weights file that failed to load. */
  const importProblems = shallowRef<string[]>([]);
  const memory = shallowRef<MemoryReport | null>(null);
  /** Why the last memory measurement failed. */
  const memoryError = shallowRef<WireError | null>(null);
  /** The matrix kernel the worker trains with, and on how many threads. */
  const engine = shallowRef<EngineInfo | null>(null);
  /** The project of the current (or last) run. */
  const runProject = shallowRef<ProjectInput | null>(null);

  const active = computed(() => starting.value || ACTIVE.includes(state.value));
  const running = computed(() => state.value === 'running');
  const paused = computed(() => state.value === 'paused');
  const loss = computed(() => progress.value?.loss ?? null);
  const epoch = computed(() => progress.value?.epoch ?? 0);
  const samplesPerSecond = computed(() => progress.value?.samplesPerSecond ?? 0);
  const canTrain = computed(() => !starting.value && state.value !== 'running');
  const canPause = computed(() => state.value === 'running');
  const canStep = computed(() => !starting.value && state.value !== 'running');
  const canStop = computed(() => active.value);
  const canReset = computed(
    () => state.value !== 'idle' || history.value.epochs.length > 0 || weights.value !== null,
  );
  /** The node the error happened at, to mark it on the canvas. */
  const errorNode = computed(() => error.value?.place.node ?? null);
  const hasWeights = computed(() => weights.value !== null);

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
        weightsEpoch.value = msg.epoch;
        weightsProject.value = runProject.value;
        weightsNormalization.value = msg.normalization ?? null;
        break;
      case 'error':
        if (msg.id === undefined) error.value = msg.error;
        break;
      case 'engine':
        engine.value = msg.engine;
        break;
    }
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
  }

  /**
   * Train: resumes a paused run; otherwise starts a new one from the seed (or from imported
   * weights; or, with `continue`, from the last trained weights).
   */
  function train(o: { continue?: boolean; startPaused?: boolean } = {}): void {
    if (state.value === 'paused' && !o.startPaused) return resume();
    if (starting.value || state.value === 'running') return;
    const p = graph.project;
    const missing = data.missingFor(p);
    clearRun();
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
    const tensors = from ? toWireTensors(Object.entries(from)) : undefined;
    runProject.value = p;
    starting.value = true;
    services().worker.post(
      {
        type: 'train',
        project: clonePlain(p),
        files: data.filesFor(p),
        ...(tensors ? { weights: tensors } : {}),
        ...(o.startPaused ? { startPaused: true } : {}),
      },
      tensors ? transferList(tensors) : [],
    );
  }

  function pause(): void {
    if (state.value === 'running' || starting.value) services().worker.post({ type: 'pause' });
  }

  function resume(): void {
    if (state.value === 'paused') services().worker.post({ type: 'resume' });
  }

  /** One batch: from a paused run, or a new run that starts paused. */
  function step(): void {
    if (state.value === 'running') return;
    if (state.value !== 'paused' && !starting.value) train({ startPaused: true });
    services().worker.post({ type: 'step' });
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
    weightsProject.value = null;
    weightsNormalization.value = null;
    startWeights.value = null;
    importProblems.value = [];
    memory.value = null;
    runProject.value = null;
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
      weights.value = markRaw(tensors);
      weightsEpoch.value = 0;
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

  /** Measure what one training step holds for backward, per node (for the memory view). */
  async function measureMemory(batch?: number): Promise<MemoryReport | null> {
    const { worker } = services();
    const p = graph.project;
    const reply = await worker.request({
      type: 'measureMemory',
      id: worker.nextId(),
      project: clonePlain(p),
      files: data.filesFor(p),
      ...(batch ? { batch } : {}),
    });
    if (reply.type === 'memory') {
      memoryError.value = null;
      return (memory.value = markRaw(reply.report));
    }
    if (reply.type === 'error') memoryError.value = reply.error;
    return null;
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
    state,
    starting,
    error,
    notice,
    progress,
    history,
    historyVersion,
    weights,
    weightsEpoch,
    weightsProject,
    weightsNormalization,
    startWeights,
    importProblems,
    memory,
    engine,
    memoryError,
    active,
    running,
    paused,
    loss,
    epoch,
    samplesPerSecond,
    canTrain,
    canPause,
    canStep,
    canStop,
    canReset,
    errorNode,
    hasWeights,
    train,
    pause,
    resume,
    step,
    stop,
    reset,
    importWeights,
    measureMemory,
  };
});
