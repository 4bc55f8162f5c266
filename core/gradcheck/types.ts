import type { Params } from '../layers/contract';

/** Finite-difference settings shared by layer and op checks. */
export interface GradcheckTolerance {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3): an element passes when |a − n| <= atol + rtol·|n|. */
  rtol?: number;
  /** Seed of the random inputs, weights and output weighting r (default 0). */
  seed?: number;
}

export interface GradcheckLayerOptions extends GradcheckTolerance {
  /** Input shapes without the batch dimension, one per input. */
  inShapes: number[][];
  /** Hyperparameters; missing ones take the layer's defaults. */
  params?: Params;
  /** Batch size (default 2). */
  batch?: number;
  /** Run forward in training mode (default true: backward only ever runs while training). */
  training?: boolean;
  /** Plugin file name, named in error messages; leave out for a built-in layer. */
  source?: string;
  /** Node name used in error messages (default 'gradcheck'). */
  node?: string;
}

export interface GradcheckOpOptions extends GradcheckTolerance {
  /** Which inputs to check (default all); the others are constants such as loss targets. */
  wrt?: number[];
  /** Name shown in the result (default: the function's name). */
  name?: string;
}

/** How one tensor's analytic gradient compares with central differences. */
export interface TensorCheck {
  /** 'x', or 'x[0]', 'x[1]' for several inputs, or a weight name; 'input0', … for ops. */
  name: string;
  shape: number[];
  ok: boolean;
  maxAbsError: number;
  /** Largest |a − n| / max(|n|, atol): relative where the gradient is not tiny. */
  maxRelError: number;
  /** The element furthest outside its tolerance (or nearest to it when all pass). */
  worst: { index: number[]; analytic: number; numeric: number };
}

export interface GradcheckResult {
  ok: boolean;
  layer: string;
  tensors: TensorCheck[];
  /**
   * Why the check could not finish (the engine's message for a fault in the layer), or why it
   * failed when the cause is known (a forward autograd cannot see).
   */
  error?: string;
  /** Where in the plugin's file the fault behind `error` was raised, when its stack says. */
  at?: { line: number; column?: number };
  /** Set when the check was refused before it ran: too big for the memory budget or to finish. */
  refused?: 'BUDGET';
}
