// The layer contract: built-in layers and user plugins are written against these same types.
import type { OnnxMapping } from '../export/onnx/plugin-mapping';
import type { PytorchMapping } from '../export/pytorch/plugin-code';
import type { OnnxImportPattern } from '../import/pattern';
import type { Ops } from '../ops';
import type { FusedKernel } from './fused';
import type { LabFormulas } from './lab';
import type { Tensor } from '../tensor/tensor';
import type { Rng } from '../util/rng';

/** A hyperparameter shown in the inspector. */
export type ParamSpec =
  | { type: 'int'; default: number; min?: number; max?: number; description?: string }
  | { type: 'number'; default: number; min?: number; max?: number; description?: string }
  | { type: 'boolean'; default: boolean; description?: string }
  | { type: 'enum'; values: string[]; default: string; description?: string }
  | { type: 'shape'; default: number[]; description?: string };

export type ParamValue = number | boolean | string | number[];
export type Params = Record<string, ParamValue>;

/** How a weight starts: a constant, or drawn from the layer's seeded generator. */
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
  params: Params;
}

export interface BuildResult {
  outShape: number[];
  weights?: Record<string, WeightSpec>;
}

/** What the engine hands a layer's forward and backward. */
export interface LayerContext {
  /** Keep tensors for backward: exactly what backward needs is the layer's memory policy. */
  save(...tensors: Tensor[]): void;
  readonly saved: readonly Tensor[];
  /** Per input: does it want a gradient? (an array when the layer has several inputs) */
  readonly needsInputGrad: boolean | boolean[];
  /** Per weight name: does it want a gradient? False for a frozen layer. */
  readonly needsWeightGrad: Record<string, boolean>;
  readonly training: boolean;
  readonly params: Params;
  /** The graph node this layer runs as. */
  readonly node: string;
  readonly ops: Ops;
  readonly rng: Rng;
  tensor(data: ArrayLike<number>, shape: number[]): Tensor;
  zeros(shape: number[]): Tensor;
}

/** Input gradient(s) under `x` (an array when there are several inputs) and one per weight. */
export type BackwardResult = Record<string, Tensor | (Tensor | null)[] | null | undefined>;

export interface LayerDefinition {
  /** Unique name in the palette. */
  type: string;
  description?: string;
  /** Palette group. */
  category?: string;
  params?: Record<string, ParamSpec>;
  /** How many inputs: a number, or a range for merge layers. Default 1. */
  inputs?: number | { min: number; max?: number };
  /**
   * Data enters the graph here (the Input layer, built-in only): a project has exactly one such
   * node, its forward is never called, and every export makes it the graph's input.
   */
  entry?: boolean;
  /**
   * Its outputs are probabilities (Sigmoid, Softmax): a loss on probabilities (BCE) expects a
   * network to end with such a layer, a loss on logits warns when it does.
   */
  probabilities?: boolean;
  build(args: BuildArgs): BuildResult;
  /** x is a Tensor [batch, ...inShape], or an array of them when the layer has several inputs. */
  forward(ctx: LayerContext, x: Tensor | Tensor[], weights: Record<string, Tensor>): Tensor;
  /** Optional: without it, backward comes from autograd over the ops forward used. */
  backward?(ctx: LayerContext, gy: Tensor, weights: Record<string, Tensor>): BackwardResult;

  // Capabilities: each consumer looks for its own here, for built-ins and plugins alike.

  /** Forward and backward on flat buffers for the fused plan of plain chains (core/layers/fused.ts). */
  fused?: FusedKernel;

  /** The layer as ONNX nodes (export to .onnx); without it such an export stops, naming the node. */
  onnx?: OnnxMapping;
  /**
   * Its ONNX nodes read back into the layer (import of a .onnx model, core/import/pattern.ts);
   * without it the importer refuses the operators, naming the node. Built-in layers only for
   * now: the import runs outside the plugin sandbox.
   */
  onnxImport?: OnnxImportPattern;
  /** The layer in an exported `.py` file; without it the layer is a stub class that raises. */
  pytorch?: PytorchMapping;
  /** What the Lab shows of the layer: its rules in the lecture's notation (core/layers/lab.ts). */
  lab?: LabFormulas;
}

export function arity(def: LayerDefinition): { min: number; max: number } {
  const a = def.inputs ?? 1;
  if (typeof a === 'number') return { min: a, max: a };
  return { min: a.min, max: a.max ?? Infinity };
}
