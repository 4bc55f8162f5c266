// The ONNX file's protobuf, read back field by field with onnx.proto's numbers: names, shapes,
// initializers, attributes and metadata are what the exporter promises.
import { describe, expect, it } from 'vitest';
import { exportModel, ONNX_METADATA_FORMAT } from '../../../core/export';
import { ProtoWriter } from '../../../core/export/onnx/protobuf';
import { allNets } from './networks';
import { all, decodeMessage, float, int, msg, one, str, type Field } from './proto-decode';

const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8, metadataProps: 14 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };

interface ReadNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, { type: number; value: number | number[] }>;
}

function readNode(fields: Field[]): ReadNode {
  const attributes: ReadNode['attributes'] = {};
  for (const a of all(fields, NODE.attribute).map(msg)) {
    const type = int(one(a, 20));
    const value = type === 1 ? float(one(a, 2)) : type === 2 ? int(one(a, 3)) : all(a, 8).map(int);
    attributes[str(one(a, 1))] = { type, value };
  }
  return {
    name: str(one(fields, NODE.name)),
    op: str(one(fields, NODE.opType)),
    inputs: all(fields, NODE.input).map(str),
    outputs: all(fields, NODE.output).map(str),
    attributes,
  };
}

/** ValueInfoProto → name and dims (dim_value numbers, dim_param strings). */
function readValueInfo(fields: Field[]): { name: string; dims: (number | string)[] } {
  const tensorType = msg(one(msg(one(fields, 2)), 1));
  expect(int(one(tensorType, 1))).toBe(1); // elem_type FLOAT
  const dims = all(msg(one(tensorType, 2)), 1).map((d) => {
    const dim = msg(d);
    return all(dim, 2).length ? str(one(dim, 2)) : int(one(dim, 1));
  });
  return { name: str(one(fields, 1)), dims };
}

function readModel(bytes: Uint8Array) {
  const model = decodeMessage(bytes);
  const graph = msg(one(model, MODEL.graph));
  return {
    irVersion: int(one(model, MODEL.irVersion)),
    producer: str(one(model, MODEL.producerName)),
    opsets: all(model, MODEL.opsetImport).map((o) => {
      const f = msg(o);
      return { domain: all(f, 1).map(str).join(''), version: int(one(f, 2)) };
    }),
    metadata: Object.fromEntries(
      all(model, MODEL.metadataProps).map((e) => [str(one(msg(e), 1)), str(one(msg(e), 2))]),
    ),
    graphName: str(one(graph, GRAPH.name)),
    nodes: all(graph, GRAPH.node).map((n) => readNode(msg(n))),
    initializers: all(graph, GRAPH.initializer).map((t) => {
      const f = msg(t);
      const raw = one(f, 9).value as Uint8Array;
      return {
        name: str(one(f, 8)),
        dims: all(f, 1).map(int),
        dataType: int(one(f, 2)),
        data: new Float32Array(raw.slice().buffer),
      };
    }),
    inputs: all(graph, GRAPH.input).map((v) => readValueInfo(msg(v))),
    outputs: all(graph, GRAPH.output).map((v) => readValueInfo(msg(v))),
  };
}

const nets = Object.fromEntries(allNets().map((n) => [n.name, n]));
const onnxOf = (name: string) =>
  readModel(exportModel('onnx', { graph: nets[name].graph, weights: nets[name].weights }));

describe('ONNX file structure', () => {
  it('is a ModelProto with IR version 8, opset 17 and the producer', () => {
    const m = onnxOf('xor');
    expect(m.irVersion).toBe(8);
    expect(m.opsets).toEqual([{ domain: '', version: 17 }]);
    expect(m.producer).toBe('Backprop Lab');
    expect(m.graphName).toBe('XOR');
  });

  it('carries the format and the project in metadata_props', () => {
    const m = onnxOf('xor');
    expect(m.metadata.format).toBe(ONNX_METADATA_FORMAT);
    expect(m.metadata.version).toBe('1');
    expect(JSON.parse(m.metadata.project)).toEqual(nets.xor.graph.project);
  });

  it('names the input and output by their node ids, with a symbolic batch dimension', () => {
    const m = onnxOf('rank3');
    expect(m.inputs).toEqual([{ name: 'x', dims: ['batch', 3, 4] }]);
    expect(m.outputs).toEqual([{ name: 'p', dims: ['batch', 3, 2] }]);
  });

  it('stores every weight as a FLOAT initializer under its own name, values bit for bit', () => {
    const m = onnxOf('xor');
    expect(m.initializers.map((t) => t.name)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    for (const t of m.initializers) {
      expect(t.dataType).toBe(1);
      expect(t.dims).toEqual(nets.xor.weights[t.name].shape);
      expect(Array.from(t.data)).toEqual(Array.from(nets.xor.weights[t.name].data));
    }
  });

  it('maps Dense to Gemm with transB (the [out, in] layout), named by the node id', () => {
    const m = onnxOf('xor');
    expect(m.nodes.map((n) => [n.name, n.op])).toEqual([
      ['fc1', 'Gemm'],
      ['h1', 'Tanh'],
      ['fc2', 'Gemm'],
      ['y', 'Sigmoid'],
    ]);
    expect(m.nodes[0]).toMatchObject({
      inputs: ['x', 'fc1.weight', 'fc1.bias'],
      outputs: ['fc1'],
      attributes: { transB: { type: 2, value: 1 } },
    });
  });

  it('maps LeakyReLU, Dropout and Softmax with their attributes', () => {
    const m = onnxOf('activations');
    const byName = Object.fromEntries(m.nodes.map((n) => [n.name, n]));
    expect(byName.lr.op).toBe('LeakyRelu');
    expect(byName.lr.attributes.alpha).toEqual({ type: 1, value: Math.fround(0.2) });
    expect(byName.drop).toMatchObject({ op: 'Identity', inputs: ['lr'], outputs: ['drop'] });
    expect(byName.probs.op).toBe('Softmax');
    expect(byName.probs.attributes.axis).toEqual({ type: 2, value: -1 });
  });

  it('chains Add over three inputs in order and concatenates on the last axis', () => {
    const m = onnxOf('dag');
    const adds = m.nodes.filter((n) => n.op === 'Add');
    expect(adds).toEqual([
      { name: 'sum/add1', op: 'Add', inputs: ['ta', 'rb'], outputs: ['sum/sum1'], attributes: {} },
      { name: 'sum', op: 'Add', inputs: ['sum/sum1', 'sc'], outputs: ['sum'], attributes: {} },
    ]);
    const cat = m.nodes.find((n) => n.name === 'cat')!;
    expect(cat).toMatchObject({ op: 'Concat', inputs: ['sum', 'x', 'ta'] });
    expect(cat.attributes.axis).toEqual({ type: 2, value: -1 });
    // A Dense without bias is a Gemm of two inputs.
    expect(m.nodes.find((n) => n.name === 'fc-c')!.inputs).toEqual(['x', 'fc-c.weight']);
  });

  it('maps Dense on inputs of rank > 1 to Transpose, MatMul and Add', () => {
    const m = onnxOf('rank3');
    expect(m.nodes.slice(0, 3).map((n) => [n.name, n.op, n.inputs, n.outputs])).toEqual([
      ['fc1/transpose', 'Transpose', ['fc1.weight'], ['fc1/weight_t']],
      ['fc1/matmul', 'MatMul', ['x', 'fc1/weight_t'], ['fc1/matmul']],
      ['fc1', 'Add', ['fc1/matmul', 'fc1.bias'], ['fc1']],
    ]);
    expect(m.nodes[0].attributes.perm).toEqual({ type: 7, value: [1, 0] });
    const fc2 = m.nodes.filter((n) => n.name.startsWith('fc2'));
    expect(fc2.map((n) => n.op)).toEqual(['Transpose', 'MatMul']);
  });

  it('gives the same bytes for the same network', () => {
    const a = exportModel('onnx', { graph: nets.dag.graph, weights: nets.dag.weights });
    const b = exportModel('onnx', { graph: nets.dag.graph, weights: nets.dag.weights });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('records the producer version when given', () => {
    const bytes = exportModel('onnx', {
      graph: nets.xor.graph,
      weights: nets.xor.weights,
      producerVersion: '0.1.0',
    });
    expect(str(one(decodeMessage(bytes), 3))).toBe('0.1.0');
  });
});

describe('ProtoWriter', () => {
  it('writes varints, negative int64 as ten bytes, floats little-endian and nested messages', () => {
    const bytes = new ProtoWriter()
      .varint(1, 300)
      .varint(2, -1)
      .float(3, 0.5)
      .string(4, 'Δ')
      .message(5, (w) => w.varint(1, 0))
      .finish();
    expect(Array.from(bytes)).toEqual([
      0x08,
      0xac,
      0x02, // field 1: 300
      0x10,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x01, // field 2: -1
      0x1d,
      0x00,
      0x00,
      0x00,
      0x3f, // field 3: 0.5f
      0x22,
      0x02,
      0xce,
      0x94, // field 4: "Δ"
      0x2a,
      0x02,
      0x08,
      0x00, // field 5: { 1: 0 }
    ]);
  });

  it('refuses numbers that are not safe integers', () => {
    expect(() => new ProtoWriter().varint(1, 1.5)).toThrow(RangeError);
  });
});
