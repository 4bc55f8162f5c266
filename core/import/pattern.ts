/**
 * How an ONNX pattern maps back to a layer: the `onnxImport` capability of a layer definition,
 * beside its ONNX export mapping (`onnx`). The importer (import-onnx.ts) walks the model's nodes
 * in order and asks every definition whose `ops` name the node's operator whether the layer
 * starts there; the definition says which nodes are its, what they read, and its parameters and
 * weights. Written against this interface only, with the helpers below.
 */
import type { Params } from '../layers/contract';
import type { OnnxNodeInfo, OnnxTensorValue } from './onnx-read';

/** What a pattern may ask about the graph. */
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
  /** Stop the import: this node is the layer's operator, but not in a form the layer computes. */
  refuse(node: OnnxNodeInfo, why: string): never;
}

/** Named float32 weights of one layer, by their short names (`weight`, `bias`). */
export type ImportedWeights = Record<string, { shape: number[]; data: Float32Array }>;

/** The ONNX nodes of one layer (the layer's type is the definition's). */
export interface ImportMatch {
  /** Every ONNX node the layer takes up (the first is the one that started the match). */
  nodes: OnnxNodeInfo[];
  /** The values the layer reads (outputs of other layers, or the graph input), in order. */
  inputs: string[];
  /** The value it computes. */
  output: string;
  params?: Params;
  weights?: ImportedWeights;
}

export interface OnnxImportPattern {
  /** The operators that may start this layer's pattern. */
  ops: readonly string[];
  /**
   * Optional: how a refusal that lists what can be imported names this pattern (`GELU (Div or
   * Mul, Erf or Tanh, Add, Mul)`); by default its `ops`.
   */
  summary?: string;
  /**
   * The layer that starts at `node`, or null when the nodes there are not this layer's (another
   * layer, or a normalization, may take them). `ctx.refuse` when they are the layer's operator
   * in a form the layer cannot compute (a Softmax over another axis).
   */
  match(node: OnnxNodeInfo, ctx: ImportContext): ImportMatch | null;
  /**
   * Optional: fold an input normalization y = (x − shift) / scale (per feature) into the
   * layer's weights, so that the layer takes raw features. Layers without it cannot follow one
   * (in a model that does not carry a normalizing Backprop Lab project).
   */
  foldInput?(match: ImportMatch, shift: Float64Array, scale: Float64Array): ImportMatch;
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

/** One operator from input to output (`Sigmoid`, `Relu`), with the node's parameters. */
export function unaryImport(
  op: string,
  params?: (node: OnnxNodeInfo, ctx: ImportContext) => Params,
): OnnxImportPattern {
  return {
    ops: [op],
    match(node, ctx) {
      const x = soleVariableInput(node, ctx);
      if (x === undefined || node.inputs.length !== 1)
        return ctx.refuse(node, 'it reads a constant');
      return {
        nodes: [node],
        inputs: [x],
        output: node.outputs[0],
        ...(params ? { params: params(node, ctx) } : {}),
      };
    },
  };
}

/** A float32 attribute read back as the number it was written from (its shortest decimal). */
export function float32Param(value: number): number {
  return Number(Math.fround(value).toPrecision(7));
}

/**
 * The one node that reads `value`, when there is exactly one and `value` is not also a graph
 * output, and it is `op`; else undefined. For following a layer made of several nodes.
 */
export function onlyReader(
  value: string,
  op: string,
  ctx: ImportContext,
): OnnxNodeInfo | undefined {
  const readers = ctx.consumers(value);
  if (readers.length !== 1 || ctx.isGraphOutput(value) || readers[0].opType !== op)
    return undefined;
  return readers[0];
}

/**
 * For a binary node of `value` and a one-value constant (either order, as commutative
 * operators are written): the constant's value, else undefined.
 */
export function scalarOperand(
  node: OnnxNodeInfo,
  value: string,
  ctx: ImportContext,
): number | undefined {
  if (node.inputs.length !== 2) return undefined;
  const [a, b] = node.inputs;
  const other = a === value ? b : b === value ? a : undefined;
  if (other === undefined || other === value) return undefined;
  const c = ctx.constant(other);
  return c && c.data.length === 1 ? c.data[0] : undefined;
}

/** `value` and `other` are a binary node's two inputs, in either order. */
export function readsBoth(node: OnnxNodeInfo, value: string, other: string): boolean {
  const [a, b] = node.inputs;
  return node.inputs.length === 2 && ((a === value && b === other) || (a === other && b === value));
}

/** Two numbers are the same float32 constant (to float32 rounding, as exporters write them). */
export function sameConstant(actual: number | undefined, expected: number): boolean {
  return actual !== undefined && Math.abs(actual - expected) <= 1e-6 * Math.abs(expected);
}
