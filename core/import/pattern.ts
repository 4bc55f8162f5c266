/**
 * How an ONNX pattern maps back to a layer: the contract of the importer's recognizers, one per
 * layer (layers/). Each is written against this interface only, so that it can move onto the
 * layer's definition as an optional capability beside the layer's ONNX export mapping.
 */
import type { Params } from '../layers/contract';
import type { OnnxNodeInfo, OnnxTensorValue } from './onnx-read';

/** What a recognizer may ask about the graph. */
export interface ImportContext {
  /** Version of the model's default operator set. */
  readonly opset: number;
  /** Rank of every value a layer computes, batch axis included (engine layers keep the input's). */
  readonly rank: number;
  /** A constant's value: an initializer, a Constant node, or a Transpose or Identity of one. */
  constant(value: string): OnnxTensorValue | undefined;
  /** The nodes that read a value, in graph order. */
  consumers(value: string): OnnxNodeInfo[];
  /** The value is one of the graph's outputs. */
  isGraphOutput(value: string): boolean;
  /** An attribute as a number, or `fallback` when the node does not set it. */
  attr(node: OnnxNodeInfo, name: string, fallback: number): number;
  /** An attribute as a list of integers, or undefined. */
  attrInts(node: OnnxNodeInfo, name: string): number[] | undefined;
  /** Stop the import: this node is the engine's operator, but not in a form a layer computes. */
  refuse(node: OnnxNodeInfo, why: string): never;
}

/** Named float32 weights of one layer, by their short names (`weight`, `bias`). */
export type ImportedWeights = Record<string, { shape: number[]; data: Float32Array }>;

/** The ONNX nodes of one layer. */
export interface LayerMatch {
  /** The layer type this is. */
  type: string;
  /** Every ONNX node the layer takes up (the first is the one that started the match). */
  nodes: OnnxNodeInfo[];
  /** The values the layer reads (outputs of other layers, or the graph input), in order. */
  inputs: string[];
  /** The value it computes. */
  output: string;
  params?: Params;
  weights?: ImportedWeights;
}

/** A node that computes nothing: its output is its input (Identity). */
export interface AliasMatch {
  alias: string;
  output: string;
  nodes: OnnxNodeInfo[];
}

export interface OnnxImportPattern {
  /** The operators that start this layer's pattern. */
  ops: readonly string[];
  /** The layer that starts at `node`, or null when the node is not this layer's. */
  match(node: OnnxNodeInfo, ctx: ImportContext): LayerMatch | AliasMatch | null;
  /**
   * Optional: fold an input normalization y = (x − shift) / scale (per feature) into the
   * layer's weights, so that the layer takes raw features. Layers without it cannot follow one.
   */
  foldInput?(match: LayerMatch, shift: Float64Array, scale: Float64Array): LayerMatch;
}

/** The only input of `node` that is not a constant, when there is exactly one. */
export function soleVariableInput(node: OnnxNodeInfo, ctx: ImportContext): string | undefined {
  const vars = node.inputs.filter((v) => v !== '' && ctx.constant(v) === undefined);
  return vars.length === 1 ? vars[0] : undefined;
}

/** The axis as a non-negative index for a value of `rank`. */
export function normalAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
