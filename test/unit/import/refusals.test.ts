// What the importer refuses, each time naming the node and its operator (or the file's
// problem), and the forms it folds: ONNX graphs written here node by node.
import { describe, expect, it } from 'vitest';
import {
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxTensor,
} from '../../../core/export/onnx/onnx-proto';
import { importOnnx } from '../../../core/import/import-onnx';
import { LabError } from '../../../core/util/errors';
import { maxAbsDiff } from '../export/networks';
import { runOnnx } from '../export/ort-node';
import { modelOf, run } from './helpers';

function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes?: Record<string, OnnxAttribute>,
): OnnxNode {
  return { name: `${opType.toLowerCase()}-${outputs[0]}`, opType, inputs, outputs, attributes };
}

const tensor = (name: string, dims: number[], values: number[]): OnnxTensor => ({
  name,
  dims,
  data: Float32Array.from(values),
});

function model(
  nodes: OnnxNode[],
  initializers: OnnxTensor[] = [],
  o: { inputs?: { name: string; shape: (number | string)[] }[]; output?: string } = {},
): Uint8Array {
  return encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: 'test',
    graph: {
      name: 'g',
      nodes,
      initializers,
      inputs: o.inputs ?? [{ name: 'x', shape: ['batch', 2] }],
      outputs: [{ name: o.output ?? nodes.at(-1)!.outputs[0], shape: ['batch', 2] }],
    },
    metadata: {},
  });
}

const W = tensor('W', [2, 2], [1, 2, 3, 4]);
const B = tensor('B', [2], [0.5, -0.5]);

function refusal(bytes: Uint8Array): string {
  try {
    importOnnx(bytes, 'm.onnx');
  } catch (e) {
    if (e instanceof LabError) return e.message;
    throw e;
  }
  throw new Error('expected the import to be refused');
}

describe('the importer refuses, naming the node and the operator', () => {
  it('an operator the engine has no layer for', () => {
    expect(refusal(model([node('Conv', ['x', 'W'], ['y'])], [W]))).toBe(
      "m.onnx: node 'conv-y' (Conv) cannot be imported: the engine has no layer for Conv (it imports Gemm, MatMul, Sigmoid, Tanh, Relu, LeakyRelu, Softmax, GELU (Erf or Tanh with its Div, Mul and Add), Add, Concat, Dropout, Identity, and Sub and Div of the input for normalization)",
    );
  });

  it('operators the engine has, in forms no layer computes', () => {
    const cases: [Uint8Array, string][] = [
      [
        model([node('Relu', ['x'], ['h']), node('Add', ['h', 'B'], ['y'])], [B]),
        "node 'add-y' (Add) cannot be imported: it adds a constant, which is a layer only as the bias of a MatMul (a Dense layer)",
      ],
      [
        model([node('Softmax', ['x'], ['y'], { axis: { int: 0 } })]),
        "node 'softmax-y' (Softmax) cannot be imported: axis 0 is not the last axis",
      ],
      [
        model([node('Concat', ['x', 'x'], ['y'], { axis: { int: 0 } })]),
        "node 'concat-y' (Concat) cannot be imported: axis 0 is not the last axis",
      ],
      [
        model([node('Gemm', ['x', 'W'], ['y'], { transA: { int: 1 } })], [W]),
        "node 'gemm-y' (Gemm) cannot be imported: transA = 1 is not a Dense layer",
      ],
      [
        model([node('Relu', ['x'], ['h']), node('Gemm', ['x', 'h'], ['y'])]),
        "node 'gemm-y' (Gemm) cannot be imported: its weight B is not a constant matrix",
      ],
      [
        model([node('Relu', ['x'], ['h']), node('MatMul', ['x', 'h'], ['y'])]),
        "node 'matmul-y' (MatMul) cannot be imported: it is not in a form that one of the engine’s layers computes",
      ],
      [
        model([node('Sub', ['x', 'B'], ['n']), node('Relu', ['n'], ['y'])], [B]),
        "node 'relu-y' (Relu) cannot be imported: the normalization node 'sub-n' (Sub) before it can only be folded into a Dense layer that reads nothing else",
      ],
      [
        model([node('Sub', ['B', 'x'], ['n']), node('Gemm', ['n', 'W'], ['y'])], [B, W]),
        "node 'sub-n' (Sub) cannot be imported: only a normalization of the input",
      ],
      [
        model([node('Relu', ['x'], ['h']), node('Div', ['h', 'B'], ['y'])], [B]),
        "node 'div-y' (Div) cannot be imported: only a normalization of the input",
      ],
      [
        model([node('Dropout', ['x'], ['y', 'mask']), node('Relu', ['mask'], ['z'])], [], {
          output: 'z',
        }),
        "node 'dropout-y' (Dropout) cannot be imported: its mask output is used",
      ],
    ];
    for (const [bytes, message] of cases) expect(refusal(bytes)).toContain(`m.onnx: ${message}`);
  });

  it('a file that is no model, or a graph no project can hold', () => {
    expect(refusal(new Uint8Array([0xff, 0xff, 0xff]))).toMatch(/^m\.onnx is not valid protobuf/);
    expect(refusal(new TextEncoder().encode('{"format": "json"}'))).toMatch(/^m\.onnx/);
    expect(
      refusal(
        model([node('Add', ['x', 'z'], ['y'])], [], {
          inputs: [
            { name: 'x', shape: ['batch', 2] },
            { name: 'z', shape: ['batch', 2] },
          ],
        }),
      ),
    ).toBe('m.onnx: the model has 2 inputs (x, z); a project has one Input');
    expect(
      refusal(
        model([node('Relu', ['x'], ['y'])], [], { inputs: [{ name: 'x', shape: ['batch', 'n'] }] }),
      ),
    ).toBe(
      "m.onnx: its input 'x' has shape [batch, n]: it needs [batch, features…] with every feature dimension known",
    );
    expect(refusal(model([node('Relu', ['x'], ['y'])], [], { output: 'x' }))).toBe(
      "m.onnx: its output 'x' is not computed by a layer",
    );
  });
});

describe('forms the importer folds', () => {
  it('a normalization (Sub, Div by one constant for all features) before a MatMul without bias: the Dense takes raw features', async () => {
    const bytes = model(
      [
        node('Sub', ['x', 'mean'], ['c']),
        node('Div', ['c', 'std'], ['n']),
        node('MatMul', ['n', 'W'], ['h']),
        node('Tanh', ['h'], ['y']),
      ],
      [tensor('mean', [1, 2], [1.5, -2]), tensor('std', [], [4]), W],
    );
    const imported = importOnnx(bytes, 'norm.onnx');
    const dense = imported.project.nodes.find((n) => n.type === 'Dense')!;
    expect(dense.params).toEqual({ units: 2, bias: true });
    expect(dense.inputs).toEqual(['x']);
    const input = { dims: [3, 2], data: [0, 0, 1, 2, -3, 7.5] };
    const ort = await runOnnx(bytes, {
      name: 'x',
      data: Float32Array.from(input.data),
      dims: input.dims,
    });
    expect(maxAbsDiff(run(modelOf(imported), input), ort.data)).toBeLessThan(1e-6);
  });

  it('Identity passes through, Gemm reads alpha, beta and a bias of one value for all units', async () => {
    const bytes = model(
      [
        node('Identity', ['x'], ['i']),
        node('Gemm', ['i', 'W', 'C'], ['y'], {
          alpha: { float: 2 },
          beta: { float: 0.5 },
          transB: { int: 1 },
        }),
      ],
      [W, tensor('C', [1], [3])],
    );
    const imported = importOnnx(bytes, 'gemm.onnx');
    expect(imported.project.nodes.map((n) => n.type)).toEqual(['Input', 'Dense']);
    expect(Array.from(imported.weights['gemm-y.weight'].data)).toEqual([2, 4, 6, 8]);
    expect(Array.from(imported.weights['gemm-y.bias'].data)).toEqual([1.5, 1.5]);
    const input = { dims: [2, 2], data: [1, -1, 0.5, 2] };
    const ort = await runOnnx(bytes, {
      name: 'x',
      data: Float32Array.from(input.data),
      dims: input.dims,
    });
    expect(maxAbsDiff(run(modelOf(imported), input), ort.data)).toBeLessThan(1e-6);
  });
});
