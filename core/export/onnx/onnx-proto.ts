/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto) that Backprop Lab writes, as plain
 * objects, and their encoding. Field numbers are onnx.proto's; every tensor is FLOAT.
 */
import { encodeFloat32 } from '../../io/safetensors-dtypes';
import { ProtoWriter } from './protobuf';

/** An attribute value; the key says its ONNX type (`{ float: 0.2 }` is not `{ int: 0 }`). */
export type OnnxAttribute =
  | { float: number }
  | { int: number }
  | { string: string }
  | { floats: number[] }
  | { ints: number[] };

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

/** A float32 initializer. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** A float32 graph input or output; a string dimension is symbolic (`'batch'`). */
export interface OnnxValueInfo {
  name: string;
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  docString?: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  /** The default (ai.onnx) operator set version. */
  opsetVersion: number;
  producerName: string;
  producerVersion?: string;
  docString?: string;
  graph: OnnxGraph;
  /** metadata_props, in this order. */
  metadata: Record<string, string>;
}

/** TensorProto.DataType.FLOAT */
const FLOAT = 1;

/** AttributeProto.AttributeType */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  docString: 6,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
} as const;
const OPSET_ID = { domain: 1, version: 2 } as const;
const ENTRY = { key: 1, value: 2 } as const;
const GRAPH = {
  node: 1,
  name: 2,
  initializer: 5,
  docString: 10,
  input: 11,
  output: 12,
} as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, floats: 7, ints: 8, type: 20 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TYPE_TENSOR = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIMENSION = { dimValue: 1, dimParam: 2 } as const;

/** The bytes of a `.onnx` file (a serialized ModelProto). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.varint(MODEL.irVersion, model.irVersion);
  w.string(MODEL.producerName, model.producerName);
  if (model.producerVersion) w.string(MODEL.producerVersion, model.producerVersion);
  if (model.docString) w.string(MODEL.docString, model.docString);
  w.message(MODEL.graph, (g) => writeGraph(g, model.graph));
  w.message(MODEL.opsetImport, (o) =>
    o.string(OPSET_ID.domain, '').varint(OPSET_ID.version, model.opsetVersion),
  );
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(MODEL.metadataProps, (e) => e.string(ENTRY.key, key).string(ENTRY.value, value));
  }
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(GRAPH.node, (n) => writeNode(n, node));
  w.string(GRAPH.name, graph.name);
  for (const t of graph.initializers) w.message(GRAPH.initializer, (m) => writeTensor(m, t));
  if (graph.docString) w.string(GRAPH.docString, graph.docString);
  for (const v of graph.inputs) w.message(GRAPH.input, (m) => writeValueInfo(m, v));
  for (const v of graph.outputs) w.message(GRAPH.output, (m) => writeValueInfo(m, v));
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const name of node.inputs) w.string(NODE.input, name);
  for (const name of node.outputs) w.string(NODE.output, name);
  w.string(NODE.name, node.name);
  w.string(NODE.opType, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(NODE.attribute, (a) => writeAttribute(a, name, value));
  }
}

function writeAttribute(w: ProtoWriter, name: string, value: OnnxAttribute): void {
  w.string(ATTRIBUTE.name, name);
  if ('float' in value) {
    w.float(ATTRIBUTE.f, value.float).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.float);
  } else if ('int' in value) {
    w.varint(ATTRIBUTE.i, value.int).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.int);
  } else if ('string' in value) {
    w.string(ATTRIBUTE.s, value.string).varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.string);
  } else if ('floats' in value) {
    for (const f of value.floats) w.float(ATTRIBUTE.floats, f);
    w.varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.floats);
  } else {
    for (const i of value.ints) w.varint(ATTRIBUTE.ints, i);
    w.varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.ints);
  }
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.varint(TENSOR.dims, d);
  w.varint(TENSOR.dataType, FLOAT);
  w.string(TENSOR.name, t.name);
  const raw = new Uint8Array(t.data.length * 4);
  encodeFloat32(t.data, raw); // raw_data is little-endian whatever the platform
  w.bytes(TENSOR.rawData, raw);
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(VALUE_INFO.name, v.name);
  w.message(VALUE_INFO.type, (type) =>
    type.message(TYPE.tensorType, (tensor) => {
      tensor.varint(TYPE_TENSOR.elemType, FLOAT);
      tensor.message(TYPE_TENSOR.shape, (shape) => {
        for (const d of v.shape) {
          shape.message(SHAPE.dim, (dim) =>
            typeof d === 'string'
              ? dim.string(DIMENSION.dimParam, d)
              : dim.varint(DIMENSION.dimValue, d),
          );
        }
      });
    }),
  );
}
