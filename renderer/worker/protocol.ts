// Messages between the UI thread and the training worker. The worker owns everything heavy:
// plugin code, the compiled network, the weights, training. The UI thread only draws.
import type {
  CompiledSummary,
  EpochStats,
  LabErrorPlace,
  MemoryReport,
  PluginStatus,
  Progress,
  ProjectInput,
  ProjectIssue,
  RunState,
} from './protocol-types';

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
}

export type ToWorker =
  /** Replace the set of plugin files (app folder, user folder, loaded by hand). */
  | { type: 'plugins'; plugins: { file: string; source: string }[] }
  /** Check a project and infer shapes (answered by 'compiled'); sent on every graph edit. */
  | { type: 'compile'; id: number; project: ProjectInput }
  /**
   * Start training. `data` is CSV text for csv: sources (the worker reads no files);
   * `weights` continues from earlier weights instead of a fresh initialisation.
   */
  | {
      type: 'train';
      project: ProjectInput;
      files: Record<string, string>;
      weights?: WireTensor[];
      startPaused?: boolean;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  /** One batch, while paused. */
  | { type: 'step' }
  | { type: 'stop' }
  /** Send the current weights back ('weights'). */
  | { type: 'getWeights'; id: number }
  /** Measure one training step's memory for this project (answered by 'memory'). */
  | {
      type: 'measureMemory';
      id: number;
      project: ProjectInput;
      files: Record<string, string>;
      batch?: number;
    };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'plugins'; statuses: PluginStatus[] }
  | { type: 'compiled'; id: number; summary: CompiledSummary }
  | { type: 'compileError'; id: number; error: WireError }
  | { type: 'state'; state: RunState; error?: WireError }
  | { type: 'progress'; progress: Progress }
  | { type: 'epoch'; stats: EpochStats }
  | { type: 'weights'; id: number; tensors: WireTensor[] }
  | { type: 'memory'; id: number; report: MemoryReport }
  | { type: 'error'; id?: number; error: WireError };
