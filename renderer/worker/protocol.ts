// Messages between the UI thread and the training worker. The worker owns everything heavy:
// plugin code, the compiled network, the weights, training. The UI thread only draws.
import type {
  CompiledSummary,
  EngineInfo,
  EpochStats,
  LabErrorPlace,
  MemoryReport,
  Normalization,
  PluginStatus,
  Progress,
  RunPosition,
  ProjectInput,
  ProjectIssue,
  RunState,
} from './protocol-types';
import type { ExportFormatId } from '../../core/export/formats';
import type { MemoryBudget } from '../../core/graph/budget';
import type { KernelMode } from '../../core/ops/kernels/wasm-kernel';
import type { InspectRequest, InspectResult } from '../lab/inspect-types';

/** A weight tensor crossing the thread boundary; `buffer` is transferred, not copied. */
export interface WireTensor {
  name: string;
  shape: number[];
  buffer: ArrayBuffer;
}

/** A problem to show where it happened (a node, a plugin file, a field). */
export interface WireError {
  code: string;
  message: string;
  place: LabErrorPlace;
  issues?: ProjectIssue[];
  /** Every problem found in the same pass (a weights file lists each mismatch). */
  problems?: string[];
}

/**
 * A run to keep with the project: its file's `trained` section as text (made in the worker, so
 * the UI thread only joins texts however long the history is), and where the run stands.
 */
export interface SavedRun {
  text: string;
  /** Epochs finished. */
  epoch: number;
  /** Batches of the next epoch trained. */
  batch: number;
  batchSize: number;
}

/** A plugin file as the worker receives it: its stable id ('app:wacky.js') and its text. */
export interface WirePlugin {
  file: string;
  source: string;
}

export type ToWorker =
  /**
   * The memory budget networks, data sets and gradient checks are checked against before
   * anything is allocated (core/graph/budget.ts); sent when the worker starts and on a change.
   */
  | { type: 'budget'; budget: MemoryBudget }
  /**
   * A CSV file the UI imported, kept by the worker under its key (what a project's `csv:` data
   * source names) until it is replaced or forgotten (`text` null). The worker reads no files:
   * each file crosses once, when it is added, and every later message names it only through its
   * project's data source. A restarted worker is sent every file again before anything else
   * (client.ts), so that nothing after a restart finds its data missing.
   */
  | { type: 'dataFile'; key: string; text: string | null }
  /**
   * Weights the worker did not make (loaded from a file, a saved run, an imported model), given
   * once under the UI's key (buffers transferred); train, inspect and export name them by it.
   * The worker's own snapshots are held already: a 'weights' message says their key.
   */
  | { type: 'holdWeights'; key: string; tensors: WireTensor[] }
  /** Replace the set of plugin files (app folder, user folder, loaded by hand). */
  | { type: 'plugins'; plugins: WirePlugin[] }
  /**
   * The layer types a plugin file defines, without loading it (answered by 'pluginTypes' with
   * the id; `types` null when it does not load): asked before a picked plugin is kept.
   */
  | { type: 'pluginTypes'; id: number; file: string; source: string }
  /**
   * Check a plugin file's text as loading it would (syntax, sandbox, contract, clashes, the
   * gradient check) without loading it: the layer editor's draft, sent as the user types.
   * Answered by 'pluginChecked'; the loaded plugins stay as they are.
   */
  | { type: 'checkPlugin'; id: number; file: string; source: string }
  /**
   * Check a project and infer shapes (answered by 'compiled'); sent on every graph edit. The
   * check ends with the data (does it fit the network?), read from the worker's 'dataFile's.
   */
  | { type: 'compile'; id: number; project: ProjectInput }
  /**
   * Start training (a csv: source's text is the worker's 'dataFile' of that key);
   * `weights` continues from weights the worker holds (the key of a 'weights' snapshot or of
   * 'holdWeights') instead of a fresh initialisation; `resume`
   * continues a saved run exactly where it stopped (a project file's `trained` section); `kernel`
   * is the matrix kernel mode of the run (default 'fast', see docs/kernels.md).
   */
  | {
      type: 'train';
      project: ProjectInput;
      weights?: string;
      /**
       * `weights` are the ones that still fit a network whose layer changed: each one of the
       * network's name and shape is used, the network's others start from the seed's
       * initialisation, and the given ones that do not fit are ignored.
       */
      weightsWhereTheyFit?: boolean;
      /** A `trained` section's text (SavedRun.text). */
      resume?: string;
      startPaused?: boolean;
      kernel?: KernelMode;
    }
  /** The current (or last) run as a project file's `trained` section ('trained' with the id). */
  | { type: 'getTrained'; id: number }
  /**
   * Does a saved run fit this project (its network, optimizer and data)? Answered by
   * 'trainedChecked'; `error` names the field when it does not.
   */
  | {
      type: 'checkTrained';
      id: number;
      project: ProjectInput;
      /** A `trained` section's text (SavedRun.text). */
      trained: string;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  /**
   * How fast runs train, from now on (this run and the next): steps a second, so that each
   * step can be watched, or null for full speed.
   */
  | { type: 'speed'; stepsPerSecond: number | null }
  /** One batch, while paused. */
  | { type: 'step' }
  | { type: 'stop' }
  /** Send the current weights back ('weights' with the same id). */
  | { type: 'getWeights'; id: number }
  /** Measure one training step's memory for this project (answered by 'memory'). */
  | {
      type: 'measureMemory';
      id: number;
      project: ProjectInput;
      batch?: number;
    }
  /**
   * Export the network in a format (answered by 'exported'): the run's model, or — with
   * `weights`, the key of a held set — the `project` compiled again with those weights and the
   * input `normalization` they were trained with.
   */
  | {
      type: 'export';
      id: number;
      format: ExportFormatId;
      project?: ProjectInput;
      weights?: string;
      normalization?: Normalization | null;
    }
  /**
   * A PyTorch training folder for this project (answered by 'exportedFolder'): its data as the
   * engine splits it (a csv: source from the worker's 'dataFile's), the initial weights of its
   * seed.
   */
  | { type: 'exportFolder'; id: number; project: ProjectInput }
  /**
   * The Lab view that is open (null: none). Answered at once by 'inspection' with the same
   * seq, and again at a bounded rate while training if the view is live.
   */
  | { type: 'inspect'; seq: number; request: InspectRequest | null }
  /**
   * The builder canvas's maps of each neuron over the input plane (a 'neurons' query; null:
   * none wanted). Answered like 'inspect', by 'neuronMaps', and kept live while training.
   */
  | { type: 'neuronMaps'; seq: number; request: InspectRequest | null };

export type FromWorker =
  | { type: 'ready' }
  /**
   * Where the worker says what it runs (core/util/activity.ts): a SharedArrayBuffer the UI
   * thread reads, or (not cross-origin isolated) a plain buffer it cannot use.
   */
  | { type: 'activity'; cells: ArrayBuffer | SharedArrayBuffer }
  /** The text of an activity label, sent before the label is first used. */
  | { type: 'activityLabel'; id: number; text: string }
  /** The worker holds the Web Lock of this name until it ends (a dead worker is seen at once). */
  | { type: 'alive'; lock: string }
  /** The matrix kernel and its threads: sent at start and when the helper thread is ready. */
  | { type: 'engine'; engine: EngineInfo }
  /** About to load (and gradient-check) this plugin file: lets the client spot one that hangs. */
  | { type: 'pluginLoading'; file: string }
  | { type: 'plugins'; statuses: PluginStatus[] }
  | { type: 'pluginTypes'; id: number; types: string[] | null }
  /** The answer to 'checkPlugin': what loading the draft would give. */
  | { type: 'pluginChecked'; id: number; status: PluginStatus }
  | { type: 'compiled'; id: number; summary: CompiledSummary }
  /** The project does not compile; `summary` holds the shapes of the nodes that did. */
  | { type: 'compileError'; id: number; error: WireError; summary: CompiledSummary }
  | { type: 'state'; state: RunState; error?: WireError }
  | { type: 'progress'; progress: Progress }
  /** Finished epochs since the last message, in order (batched: a tiny net runs 1000s a second). */
  | { type: 'epochs'; stats: EpochStats[] }
  /**
   * The model's weights after `epoch` finished epochs (`at`: exactly where, to the batch):
   * answering 'getWeights' (with its id), at the end of an epoch (at most a few times a
   * second), and when a run pauses or ends; with the input normalization the run trains with
   * (null or absent: raw inputs). The worker keeps a copy under `key` (its newest two), so the
   * UI names these weights instead of sending them back.
   */
  | {
      type: 'weights';
      id?: number;
      key: string;
      tensors: WireTensor[];
      epoch: number;
      at: RunPosition;
      normalization?: Normalization | null;
    }
  /**
   * The run as a `trained` section, to save with the project: answering 'getTrained' (with its
   * id), when a run pauses, stops or finishes, and every few seconds while it runs.
   */
  | { type: 'trained'; id?: number; trained: SavedRun }
  /**
   * The answer to 'checkTrained': `error` when the saved run does not fit; `checked` false when
   * it could not be checked (the network has problems, its CSV file is not loaded).
   */
  | { type: 'trainedChecked'; id: number; checked: boolean; error?: WireError }
  | { type: 'memory'; id: number; report: MemoryReport }
  /** The exported file: bytes (transferred) for binary formats, text for JSON and Python. */
  | { type: 'exported'; id: number; data: Uint8Array | string }
  /** The training folder's files, by name (bytes transferred). */
  | { type: 'exportedFolder'; id: number; files: { name: string; data: Uint8Array | string }[] }
  /** Data for the open Lab view (or why it could not be computed). */
  | { type: 'inspection'; seq: number; result?: InspectResult; error?: WireError }
  /** Data for the canvas's neuron maps (or why there are none). */
  | { type: 'neuronMaps'; seq: number; result?: InspectResult; error?: WireError }
  | { type: 'error'; id?: number; error: WireError };
