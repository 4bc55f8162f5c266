// Types for Backprop Lab layer plugins. A plugin imports nothing at run time; these types are
// for your editor only:
//   JavaScript: /** @type {import('./api').LayerDefinition} */ export default { … };
//   TypeScript: import type { LayerDefinition } from './api'; export default { … } satisfies LayerDefinition;

/** An n-dimensional array, row-major, batch first. `data` is Float64Array inside a gradient check. */
export interface Tensor {
  readonly shape: number[];
  readonly data: Float32Array | Float64Array;
  readonly size: number;
}

/** A hyperparameter shown in the inspector. */
export type ParamSpec =
  | { type: 'int'; default: number; min?: number; max?: number; description?: string }
  | { type: 'number'; default: number; min?: number; max?: number; description?: string }
  | { type: 'boolean'; default: boolean; description?: string }
  | { type: 'enum'; values: string[]; default: string; description?: string };

export type ParamValue = number | boolean | string | number[];

/** How a weight starts: a constant, or drawn from the run's seeded generator. */
export type InitSpec =
  | 'zeros'
  | 'ones'
  | 'normal'
  | 'uniform'
  | number
  | { uniform: [number, number] }
  | { normal: [number, number] };

export interface WeightSpec {
  shape: number[];
  init?: InitSpec;
}

export interface BuildArgs {
  /** Input shapes without the batch dimension, one per input. */
  inShapes: number[][];
  params: Record<string, ParamValue>;
}

export interface BuildResult {
  /** Output shape without the batch dimension. */
  outShape: number[];
  weights?: Record<string, WeightSpec>;
}

/** A seeded random number generator (use it, not Math.random, so runs are reproducible). */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
}

/** The differentiable operations the built-in layers use; a forward written with them needs no backward. */
export interface Ops {
  add(a: Tensor, b: Tensor): Tensor;
  sub(a: Tensor, b: Tensor): Tensor;
  mul(a: Tensor, b: Tensor): Tensor;
  div(a: Tensor, b: Tensor): Tensor;
  neg(x: Tensor): Tensor;
  scale(x: Tensor, c: number): Tensor;
  addScalar(x: Tensor, c: number): Tensor;
  square(x: Tensor): Tensor;
  exp(x: Tensor): Tensor;
  log(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor;
  tanh(x: Tensor): Tensor;
  relu(x: Tensor): Tensor;
  leakyRelu(x: Tensor, slope?: number): Tensor;
  softmax(x: Tensor): Tensor;
  logSoftmax(x: Tensor): Tensor;
  matmul(a: Tensor, b: Tensor, opts?: { transA?: boolean; transB?: boolean }): Tensor;
  transpose(x: Tensor): Tensor;
  /** x · Wᵀ + b, with W of shape [out, in]. */
  linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor;
  sum(x: Tensor, axis?: number, keepDims?: boolean): Tensor;
  mean(x: Tensor, axis?: number, keepDims?: boolean): Tensor;
  concat(xs: Tensor[], axis?: number): Tensor;
  reshape(x: Tensor, shape: number[]): Tensor;
  dropout(x: Tensor, p: number, rng: Rng): Tensor;
}

/** What the engine hands forward and backward. */
export interface LayerContext {
  /** Keep tensors for backward. What you save is your layer's memory policy. */
  save(...tensors: Tensor[]): void;
  /** What forward saved, in order (in backward). */
  readonly saved: readonly Tensor[];
  /** Does the input want a gradient? An array when the layer has several inputs. */
  readonly needsInputGrad: boolean | boolean[];
  /** Per weight name: does it want a gradient? False when the node is frozen. */
  readonly needsWeightGrad: Record<string, boolean>;
  /** True while training (dropout-like layers behave differently outside training). */
  readonly training: boolean;
  readonly params: Record<string, ParamValue>;
  /** The id of the node this layer runs as. */
  readonly node: string;
  readonly ops: Ops;
  readonly rng: Rng;
  /** A tensor with these values (in the engine's float type). */
  tensor(data: ArrayLike<number>, shape: number[]): Tensor;
  zeros(shape: number[]): Tensor;
}

/** Input gradient(s) under `x` (an array when there are several inputs) and one per weight. */
export type BackwardResult = Record<string, Tensor | (Tensor | null)[] | null | undefined>;

/** An ONNX attribute, typed by its key: `{ alpha: { float: 0.2 } }`, `{ axis: { int: -1 } }`. */
export type OnnxAttribute =
  | { float: number }
  | { int: number }
  | { string: string }
  | { floats: number[] }
  | { ints: number[] };

/** What the exporter hands a layer's `onnx(ctx)`. Every tensor is float32 and batch first. */
export interface OnnxMappingContext {
  /** The graph node being exported (its id). */
  readonly node: string;
  readonly type: string;
  /** ONNX value names of the node's inputs, in order. */
  readonly inputs: readonly string[];
  /** The value name the returned nodes must produce (exactly one of them). */
  readonly output: string;
  readonly inShapes: readonly (readonly number[])[];
  readonly outShape: readonly number[];
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Initializer name of each weight by its short name: `weights.a` is `'w1.a'`. */
  readonly weights: Readonly<Record<string, string>>;
  readonly weightValues: Readonly<Record<string, { shape: number[]; data: Float32Array }>>;
  /** A fresh value name for an intermediate result (`w1/ax`). */
  value(hint: string): string;
  /** Adds a float32 constant as an initializer and returns its name. */
  constant(hint: string, values: ArrayLike<number>, shape: number[]): string;
}

/** One ONNX node (operator set ai.onnx, version 17). */
export interface OnnxNodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
  name?: string;
}

/**
 * PyTorch code for a layer in the exported `.py`, in one of three ways: `{ className, code }`,
 * a class (written once) called per node as
 * `ClassName(params=…, in_shapes=[…], out_shape=…, weight_shapes={…})` that registers one
 * nn.Parameter per weight under the weight's name; `{ module }`, the module a node holds as a
 * Python expression (`nn.PReLU(num_parameters=4)`), its parameters named as the weights; or
 * `{ expression }`, for a layer without weights, its output from the Python names in
 * `ctx.inputs`. A node's forward takes its inputs positionally.
 */
export interface PytorchCode {
  code?: string;
  className?: string;
  module?: string;
  expression?: string;
}

/** What a `pytorch(ctx)` function is told about the node (shapes without the batch). */
export interface PytorchContext {
  readonly node: string;
  readonly type: string;
  /** The node's inputs as Python expressions (each `.detach()`ed when the node detaches). */
  readonly inputs: readonly string[];
  readonly inShapes: readonly (readonly number[])[];
  readonly outShape: readonly number[];
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly weights: Readonly<Record<string, readonly number[]>>;
  /** A Python literal for a value: `0.01`, `True`, `"tanh"`, `[2, 3]`. */
  literal(value: ParamValue): string;
}

/** What a fused kernel knows of its node before any step (shapes without the batch). */
export interface FusedShapes {
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly weightShapes: Readonly<Record<string, readonly number[]>>;
}

/**
 * One node's buffers in the fused plan, the same every step: flat Float32Arrays, batch first.
 * Write every element of what you produce (`y`; `gx` and each gradient): they hold old values.
 */
export interface FusedStep extends FusedShapes {
  readonly batch: number;
  readonly inSize: number;
  readonly outSize: number;
  /** The input, [batch, inSize]: read only. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** The weights' values by name: read only. */
  readonly weights: Readonly<Record<string, Float32Array>>;
  /** `scratch(shapes)` values per sample, kept from forward to backward. */
  readonly scratch: Float32Array | null;
  /** The run's seeded generator: draw in the order your forward draws from ctx.rng. */
  readonly rng: Rng;
  /** Backward: ∂L/∂y. */
  readonly gy: Float32Array;
  /** Backward: ∂L/∂x goes here; null when no gradient is wanted below. */
  readonly gx: Float32Array | null;
  /** Backward: each weight's gradient, summed over the batch; null when frozen. */
  readonly grads: Readonly<Record<string, Float32Array | null>>;
}

/**
 * A fused training kernel: forward and backward on flat buffers allocated once, so that a plain
 * chain of layers trains without allocating. It must compute what forward and backward compute;
 * the load-time check compares them, and a kernel that differs is not used.
 */
export interface FusedKernel {
  /** Can a node with these shapes run fused? (default: yes) */
  fits?(shapes: FusedShapes): boolean;
  /** Values per sample forward keeps for backward in `scratch` (default 0). */
  scratch?(shapes: FusedShapes): number;
  forward(step: FusedStep): void;
  backward(step: FusedStep): void;
  /**
   * Optional: y from x in evaluation mode (what forward gives with ctx.training false), for the
   * test set's loss each epoch. `gx` and the gradients are null; nothing is kept. Without it a
   * chain with the layer evaluates through each layer's forward (slower, the same numbers).
   */
  evaluate?(step: FusedStep): void;
}

/** What a Lab formula is told about its node, symbols already in the lecture's notation. */
export interface LabContext {
  readonly node: string;
  readonly type: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The lecture's layer index k, and as a superscript ⁽ᵏ⁾. */
  readonly k: number;
  readonly sup: string;
  /** The symbol of this node's output (x, h̃⁽ᵏ⁾, h⁽ᵏ⁾, ỹ, or ŷ at the network's output) and of its inputs'. */
  readonly out: string;
  readonly ins: readonly string[];
  /**
   * The loss's gradient at its output (δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾ for a linear layer, else ∂L/∂h⁽ᵏ⁾, ∂L/∂ŷ)
   * and at its inputs (what backward passes on).
   */
  readonly delta: string;
  readonly inDeltas: readonly string[];
  readonly weights: readonly string[];
  readonly frozen: boolean;
  readonly detach: boolean;
}

/** One step's rule in the Lab's "Step by step". */
export interface LabRule {
  title: string;
  formula: string;
  more?: string[];
  note?: string;
  shows?: string;
}

/** What the Lab shows of a layer. */
export interface LabFormulas {
  /** y = W·x (+ b) with W the weight named here, [out, in]: the Blame, Forward and Jacobian views use it. */
  linear?: { weight: string };
  /** Each output is one of its input's units (an activation): drawn in its input's column. */
  sameUnits?: boolean;
  /** At the output, the loss whose gradient its derivative cancels, and its backward rule then. */
  cancels?: { loss: string; backward(ctx: LabContext): LabRule };
  forward?(ctx: LabContext): LabRule;
  backward?(ctx: LabContext): LabRule;
}

/**
 * A layer. `X` is what forward receives: a Tensor (the default), or Tensor[] for a layer with
 * several inputs (`LayerDefinition<Tensor[]>`).
 */
export interface LayerDefinition<X extends Tensor | Tensor[] = Tensor> {
  /** Unique name in the palette: letters, digits and _, starting with a letter. */
  type: string;
  description?: string;
  /** Palette group (default 'Plugins'). */
  category?: string;
  params?: Record<string, ParamSpec>;
  /** How many inputs: a number, or { min, max } for merge layers. Default 1. */
  inputs?: number | { min: number; max?: number };
  /** Where the gradient check runs when the plugin loads (default: one input of shape [4] per input). */
  gradcheck?: { inShapes: number[][]; params?: Record<string, ParamValue>; batch?: number };
  build(args: BuildArgs): BuildResult;
  /** x: [batch, ...inShape], or an array of them when the layer has several inputs. */
  forward(ctx: LayerContext, x: X, weights: Record<string, Tensor>): Tensor;
  /** Leave it out to get backward by autograd (then write forward with ctx.ops). */
  backward?(ctx: LayerContext, gy: Tensor, weights: Record<string, Tensor>): BackwardResult;
  /** ONNX nodes computing this layer; without it, ONNX export of a network using it stops. */
  onnx?(ctx: OnnxMappingContext): OnnxNodeSpec[];
  /** PyTorch code for the exported `.py`, or a function of the node giving it; without it the layer is a stub that raises. */
  pytorch?: PytorchCode | ((ctx: PytorchContext) => PytorchCode);
  /** Forward and backward on flat buffers, for training plain chains without allocating (one input only). */
  fused?: FusedKernel;
  /** The outputs are probabilities (like Sigmoid): BCE expects them, losses on logits warn. */
  probabilities?: boolean;
  /** Its rules in the Lab's step-by-step view; without them the Lab shows generic ones. */
  lab?: LabFormulas;
}
