// A layer's fused training kernel: its forward and backward on flat float32 buffers that the
// fused plan of a plain chain allocates once per batch size, so a steady-state training step
// allocates nothing. A layer that has one (built-in or plugin) takes the fused path whenever its
// network is a plain chain; its kernel must compute exactly what its forward and backward
// compute (a plugin's is checked against them when it loads, core/plugins/fused-check.ts).
import type { Rng } from '../util/rng';
import type { Params } from './contract';

/** What a kernel knows of its node before any step. Shapes exclude the batch dimension. */
export interface FusedShapes {
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly params: Readonly<Params>;
  /** The node's weights by name, with their shapes. */
  readonly weightShapes: Readonly<Record<string, readonly number[]>>;
}

/**
 * One node's buffers for one batch size: the same object every step. Every buffer is flat and
 * row-major, batch first. A kernel writes every element of what it produces (`y` in forward;
 * `gx` and each gradient in backward): the buffers hold the previous step's values.
 */
export interface FusedStep extends FusedShapes {
  readonly batch: number;
  /** Values per sample entering and leaving the node. */
  readonly inSize: number;
  readonly outSize: number;
  /** The input, [batch, inSize]: read it, never write it. */
  readonly x: Float32Array;
  /** The output, [batch, outSize]. */
  readonly y: Float32Array;
  /** The weights' values by name (read only: the optimizer updates them). */
  readonly weights: Readonly<Record<string, Float32Array>>;
  /** What forward keeps for backward besides x and y: `scratch(shapes)` values per sample. */
  readonly scratch: Float32Array | null;
  /** The run's seeded generator (forward and evaluate), drawn from in the order the tape would draw. */
  rng: Rng;
  /** Backward: ∂L/∂y, [batch, outSize]. */
  readonly gy: Float32Array;
  /** Backward: where ∂L/∂x goes, [batch, inSize]; null when no gradient is wanted below. */
  readonly gx: Float32Array | null;
  /** Backward: where each weight's gradient goes, summed over the batch; null when frozen. */
  readonly grads: Readonly<Record<string, Float32Array | null>>;
}

/** The `fused` capability of a layer definition. */
export interface FusedKernel {
  /** Whether a node with these shapes can run fused (default: yes); if not, it uses the tape. */
  fits?(shapes: FusedShapes): boolean;
  /** Values per sample forward keeps for backward in `scratch` (default 0). */
  scratch?(shapes: FusedShapes): number;
  /** y from x (and the weights); training mode. */
  forward(step: FusedStep): void;
  /** gx and the weight gradients from gy (and x, y, scratch). Runs after forward, every step. */
  backward(step: FusedStep): void;
  /**
   * y from x in evaluation mode (what forward computes with `ctx.training` false: dropout off),
   * for the test set's loss after each epoch and the training set's before any. No backward
   * follows: `gx` is null and every gradient null; `scratch` is there, but nothing is kept. A
   * chain whose every layer has one evaluates through the fused plan; otherwise evaluation
   * runs each layer's forward. For most layers it is forward itself.
   */
  evaluate?(step: FusedStep): void;
}
