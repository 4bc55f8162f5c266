/**
 * Reading a `.onnx` file (a serialized ModelProto, field numbers from onnx/onnx.proto) into plain
 * objects: the graph's nodes with their attributes, its initializers as numbers, its inputs and
 * outputs with their shapes, and the metadata. Only what an import needs; tensors stored outside
 * the file, and sparse ones, are refused.
 */
import { LabError } from '../util/errors';
import {
  all,
  bytesOf,
  doubles,
  first,
  float32,
  floats,
  int,
  ints,
  readFields,
  text,
  type ProtoField,
} from './protobuf-reader';

export interface OnnxTensorValue {
  name: string;
  dims: number[];
  /** The values, whatever their type in the file (float, double, half, integers, bool). */
  data: Float32Array;
  /** The TensorProto data type name: FLOAT, INT64, … */
  dtype: string;
}

export type OnnxAttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: OnnxTensorValue }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'other'; type: number };

export interface OnnxNodeInfo {
  /** The node's name; '' when the file gives none. */
  name: string;
  opType: string;
  /** '' for the default operator set (ai.onnx). */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttributeValue>;
  /** 0-based position in the graph, for messages. */
  index: number;
}

export interface OnnxValueInfoRead {
  name: string;
  /** Element type name (FLOAT, …), or '' when not given. */
  elemType: string;
  /** Each dimension: a number, a symbolic name, or null when unknown. */
  shape: (number | string | null)[] | null;
}

export interface OnnxModelRead {
  irVersion: number;
  /** Version of the default operator set; 0 when the model does not import it. */
  opset: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  nodes: OnnxNodeInfo[];
  initializers: Map<string, OnnxTensorValue>;
  inputs: OnnxValueInfoRead[];
  outputs: OnnxValueInfoRead[];
  metadata: Record<string, string>;
}

/** TensorProto.DataType */
const DTYPES: Record<number, string> = {
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  16: 'BFLOAT16',
};

/**
 * The model in a `.onnx` file. Throws LabError('USAGE') naming `file` when it is not an ONNX
 * model (not protobuf, no graph).
 */
export function readOnnxModel(bytes: Uint8Array, file: string): OnnxModelRead {
  const model = readFields(bytes, `${file}`);
  const graphField = first(model, 7);
  if (!graphField || graphField.wire !== 2) {
    throw new LabError('USAGE', `${file} is not an ONNX model: it has no graph`, { file });
  }
  const opsets = all(model, 8).map((f) => readFields(bytesOf(f), `${file}: opset_import`));
  const defaultOpset = opsets.find((o) => {
    const d = first(o, 1);
    return d === undefined || text(d) === '' || text(d) === 'ai.onnx';
  });
  const version = defaultOpset && first(defaultOpset, 2);
  const graph = readFields(bytesOf(graphField), `${file}: graph`);
  if (all(graph, 15).length > 0) {
    throw new LabError('USAGE', `${file}: sparse initializers are not supported`, { file });
  }
  const initializers = new Map<string, OnnxTensorValue>();
  for (const f of all(graph, 5)) {
    const t = readTensor(bytesOf(f), file);
    initializers.set(t.name, t);
  }
  const metadata: Record<string, string> = {};
  for (const f of all(model, 14)) {
    const entry = readFields(bytesOf(f), `${file}: metadata_props`);
    const k = first(entry, 1);
    const v = first(entry, 2);
    if (k) metadata[text(k)] = v ? text(v) : '';
  }
  const str = (fields: ProtoField[], n: number) => {
    const f = first(fields, n);
    return f ? text(f) : '';
  };
  return {
    irVersion: first(model, 1) ? int(first(model, 1)!) : 0,
    opset: version ? int(version) : 0,
    producerName: str(model, 2),
    producerVersion: str(model, 3),
    graphName: str(graph, 2),
    nodes: all(graph, 1).map((f, index) => readNode(bytesOf(f), index, file)),
    initializers,
    inputs: all(graph, 11).map((f) => readValueInfo(bytesOf(f), file)),
    outputs: all(graph, 12).map((f) => readValueInfo(bytesOf(f), file)),
    metadata,
  };
}

function readNode(bytes: Uint8Array, index: number, file: string): OnnxNodeInfo {
  const f = readFields(bytes, `${file}: node ${index}`);
  const attributes: Record<string, OnnxAttributeValue> = {};
  for (const a of all(f, 5)) {
    const attr = readFields(bytesOf(a), `${file}: node ${index} attribute`);
    const name = first(attr, 1);
    if (name) attributes[text(name)] = readAttribute(attr, file);
  }
  return {
    name: first(f, 3) ? text(first(f, 3)!) : '',
    opType: first(f, 4) ? text(first(f, 4)!) : '',
    domain: first(f, 7) ? text(first(f, 7)!) : '',
    inputs: all(f, 1).map(text),
    outputs: all(f, 2).map(text),
    attributes,
    index,
  };
}

/** AttributeProto.AttributeType */
const ATTRIBUTE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function readAttribute(a: ProtoField[], file: string): OnnxAttributeValue {
  const typeField = first(a, 20);
  // Files from before IR version 3 may leave the type out: infer it from the field present.
  const type = typeField
    ? int(typeField)
    : first(a, 2)
      ? ATTRIBUTE.float
      : first(a, 3)
        ? ATTRIBUTE.int
        : first(a, 4)
          ? ATTRIBUTE.string
          : first(a, 5)
            ? ATTRIBUTE.tensor
            : all(a, 7).length
              ? ATTRIBUTE.floats
              : ATTRIBUTE.ints;
  switch (type) {
    case ATTRIBUTE.float:
      return { kind: 'float', value: first(a, 2) ? float32(first(a, 2)!) : 0 };
    case ATTRIBUTE.int:
      return { kind: 'int', value: first(a, 3) ? int(first(a, 3)!) : 0 };
    case ATTRIBUTE.string:
      return { kind: 'string', value: first(a, 4) ? text(first(a, 4)!) : '' };
    case ATTRIBUTE.tensor:
      return { kind: 'tensor', value: readTensor(bytesOf(first(a, 5)!), file) };
    case ATTRIBUTE.floats:
      return { kind: 'floats', value: floats(a, 7) };
    case ATTRIBUTE.ints:
      return { kind: 'ints', value: ints(a, 8) };
    default:
      return { kind: 'other', type };
  }
}

function readTensor(bytes: Uint8Array, file: string): OnnxTensorValue {
  const f = readFields(bytes, `${file}: tensor`);
  const name = first(f, 8) ? text(first(f, 8)!) : '';
  const dims = ints(f, 1);
  const code = first(f, 2) ? int(first(f, 2)!) : 0;
  const dtype = DTYPES[code] ?? `type ${code}`;
  if (first(f, 14) && int(first(f, 14)!) === 1) {
    throw new LabError(
      'USAGE',
      `${file}: the tensor '${name}' is stored in a separate file (external data), which is not supported: save the model with its weights inside`,
      { file },
    );
  }
  const size = dims.reduce((a, b) => a * b, 1);
  const raw = first(f, 9);
  let values: ArrayLike<number>;
  if (raw) values = fromRaw(bytesOf(raw), dtype, name, file);
  else if (dtype === 'FLOAT' || dtype === 'FLOAT16' || dtype === 'BFLOAT16') {
    // float_data; halves are stored as their 16 bits in int32_data
    values = dtype === 'FLOAT' ? floats(f, 4) : ints(f, 5).map((h) => halfBits(h, dtype));
  } else if (dtype === 'DOUBLE') values = doubles(f, 10);
  else if (dtype === 'INT64') values = ints(f, 7);
  else if (dtype === 'UINT64') values = ints(f, 11);
  else values = ints(f, 5);
  if (values.length !== size) {
    throw new LabError(
      'USAGE',
      `${file}: the tensor '${name}' has ${values.length} values for its shape [${dims.join(', ')}]`,
      { file },
    );
  }
  return { name, dims, data: Float32Array.from(values), dtype };
}

function fromRaw(b: Uint8Array, dtype: string, name: string, file: string): ArrayLike<number> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const read = (width: number, get: (at: number) => number): number[] => {
    const out = new Array<number>(Math.floor(b.byteLength / width));
    for (let i = 0; i < out.length; i++) out[i] = get(i * width);
    return out;
  };
  switch (dtype) {
    case 'FLOAT':
      return read(4, (i) => view.getFloat32(i, true));
    case 'DOUBLE':
      return read(8, (i) => view.getFloat64(i, true));
    case 'FLOAT16':
    case 'BFLOAT16':
      return read(2, (i) => halfBits(view.getUint16(i, true), dtype));
    case 'INT64':
      return read(8, (i) => Number(view.getBigInt64(i, true)));
    case 'UINT64':
      return read(8, (i) => Number(view.getBigUint64(i, true)));
    case 'INT32':
      return read(4, (i) => view.getInt32(i, true));
    case 'UINT32':
      return read(4, (i) => view.getUint32(i, true));
    case 'INT16':
      return read(2, (i) => view.getInt16(i, true));
    case 'UINT16':
      return read(2, (i) => view.getUint16(i, true));
    case 'INT8':
      return read(1, (i) => view.getInt8(i));
    case 'UINT8':
    case 'BOOL':
      return read(1, (i) => view.getUint8(i));
    default:
      throw new LabError('USAGE', `${file}: the tensor '${name}' has type ${dtype}`, { file });
  }
}

/** A float16 (or bfloat16) from its 16 bits. */
function halfBits(h: number, dtype: string): number {
  if (dtype === 'BFLOAT16') {
    const v = new DataView(new ArrayBuffer(4));
    v.setUint32(0, (h & 0xffff) << 16);
    return v.getFloat32(0);
  }
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function readValueInfo(bytes: Uint8Array, file: string): OnnxValueInfoRead {
  const f = readFields(bytes, `${file}: value info`);
  const name = first(f, 1) ? text(first(f, 1)!) : '';
  const type = first(f, 2);
  const tensorType = type && first(readFields(bytesOf(type), `${file}: type`), 1);
  if (!tensorType) return { name, elemType: '', shape: null };
  const t = readFields(bytesOf(tensorType), `${file}: tensor type`);
  const elem = first(t, 1);
  const shapeField = first(t, 2);
  const shape = shapeField
    ? all(readFields(bytesOf(shapeField), `${file}: shape`), 1).map((d) => {
        const dim = readFields(bytesOf(d), `${file}: dimension`);
        const value = first(dim, 1);
        const param = first(dim, 2);
        return value ? int(value) : param ? text(param) : null;
      })
    : null;
  return { name, elemType: elem ? (DTYPES[int(elem)] ?? '') : '', shape };
}
