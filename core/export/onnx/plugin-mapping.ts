/**
 * How a layer turns into ONNX nodes: the `onnx(ctx)` capability of a layer definition, written
 * next to build, forward and backward by built-in layers (core/layers/builtin/) and plugins
 * alike.
 *
 * @example
 * // y = x ⊙ σ(a ⊙ x): three ONNX nodes; `a` ([features]) broadcasts over the batch.
 * onnx(ctx) {
 *   const ax = ctx.value('ax');
 *   const s = ctx.value('sigmoid');
 *   return [
 *     { op: 'Mul', inputs: [ctx.inputs[0], ctx.weights.a], outputs: [ax] },
 *     { op: 'Sigmoid', inputs: [ax], outputs: [s] },
 *     { op: 'Mul', inputs: [ctx.inputs[0], s], outputs: [ctx.output] },
 *   ];
 * }
 */
import type { OnnxAttribute } from './onnx-proto';

export type { OnnxAttribute } from './onnx-proto';

/** What the exporter hands a layer's `onnx(ctx)`. Every tensor is float32 and batch first. */
export interface OnnxMappingContext {
  /** The graph node being exported (its id). */
  readonly node: string;
  /** Its layer type. */
  readonly type: string;
  /** ONNX value names of the node's inputs, in order. */
  readonly inputs: readonly string[];
  /** The ONNX value name the returned nodes must produce (exactly one of them). */
  readonly output: string;
  /** Input shapes without the batch dimension, one per input. */
  readonly inShapes: readonly (readonly number[])[];
  /** Output shape without the batch dimension. */
  readonly outShape: readonly number[];
  /** The node's hyperparameters, defaults filled in. */
  readonly params: Readonly<Record<string, number | boolean | string | number[]>>;
  /** Initializer name of each weight by its short name: `weights.a` is `'w1.a'`. */
  readonly weights: Readonly<Record<string, string>>;
  /** The weights' values, for mappings that need to look at them (read only). */
  readonly weightValues: Readonly<Record<string, { shape: number[]; data: Float32Array }>>;
  /** A fresh value name for an intermediate result, unique in the graph (`w1/ax`). */
  value(hint: string): string;
  /** Adds a float32 constant as an initializer and returns its name (`w1/two`). */
  constant(hint: string, values: ArrayLike<number>, shape: number[]): string;
}

/** One ONNX node (operator set ai.onnx, version 17). */
export interface OnnxNodeSpec {
  /** The operator, e.g. 'Mul' (https://onnx.ai/onnx/operators/). */
  op: string;
  /** Value names read: the context's inputs, weights, constants, or earlier outputs ('' = omitted optional input). */
  inputs: string[];
  /** Value names written: `ctx.output` or names from `ctx.value()`. */
  outputs: string[];
  /** Attributes, each typed by its key: `{ alpha: { float: 0.2 } }`, `{ axis: { int: -1 } }`. */
  attributes?: Record<string, OnnxAttribute>;
  /** Optional; the node is named `<node id>/<name>` (the one producing `ctx.output` is named by the node id). */
  name?: string;
}

/** A layer's ONNX mapping: the nodes, in order, that compute `ctx.output` from `ctx.inputs`. */
export type OnnxMapping = (ctx: OnnxMappingContext) => OnnxNodeSpec[];
