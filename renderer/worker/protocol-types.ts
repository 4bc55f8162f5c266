// Types the protocol shares with core (types only: nothing from core runs on the UI thread
// through this file).
export type {
  EpochStats,
  LabErrorPlace,
  MemoryReport,
  Normalization,
  PluginStatus,
  PluginLayerInfo,
  ProjectInput,
  ProjectIssue,
  RunPosition,
} from '../../core';
import type { ProjectIssue } from '../../core';
// Not re-exported by core/index.ts: taken from the runner itself.
export type { Progress, RunState } from '../../core/train/runner';

/** One node as the builder draws it: only nodes whose output shape is known are listed. */
export interface SummaryNode {
  outShape: number[];
  inShapes: number[][];
  paramCount: number;
  /** Its weights get gradients (false for frozen, detached-away or unused nodes). */
  trainable: boolean;
  /** It feeds the output (unused nodes are drawn but not trained). */
  used: boolean;
  /** Weight name (`weight`, a plugin's `a`) → shape. */
  weights: Record<string, number[]>;
}

/** What the builder needs to draw a compiled network: shapes, parameter counts, warnings. */
export interface CompiledSummary {
  nodes: Record<string, SummaryNode>;
  warnings: string[];
  /**
   * Warnings that belong on one node (it does not feed the output, and its own problems): they
   * do not stop training, which leaves such nodes out.
   */
  nodeWarnings: ProjectIssue[];
  /** The whole project compiled: it can be trained. */
  ok: boolean;
  /** When ok: every weight the model has, `<node>.<weight>` → shape (for importing weights). */
  weightShapes: Record<string, number[]>;
}

/** Which matrix kernel trains, on how many threads, and why only one (the training worker's). */
export interface EngineInfo {
  /** The instructions the products run on in the current mode. */
  kernel: 'WebAssembly relaxed SIMD' | 'WebAssembly SIMD' | 'TypeScript';
  /** The kernel mode ('fast' or 'portable', see docs/kernels.md). */
  mode: 'fast' | 'portable';
  /** Why the fast mode runs plain SIMD, when it does. */
  kernelReason?: string;
  /** The block of δ·W and δᵀ·x, chosen by timing when the worker started (docs/kernels.md). */
  block?: '4 × 8' | '6 × 8';
  threads: 1 | 2;
  state: 'off' | 'starting' | 'on' | 'failed';
  reason?: string;
  /** Products shared between the two threads since the worker started. */
  splitProducts: number;
}
