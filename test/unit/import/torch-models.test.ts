// ONNX files written by torch.onnx.export from hand-written modules (and one by onnx.helper),
// made by test/fixtures/onnx-import/make_models.py: imported, they compute what PyTorch computed;
// exported again by the engine, ONNX Runtime computes the same; an operator the engine does not
// have is refused, naming the node and the operator.
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../core/export/onnx/export-onnx';
import { importOnnx } from '../../../core/import/import-onnx';
import { LabError } from '../../../core/util/errors';
import { maxAbsDiff } from '../export/networks';
import { runOnnx } from '../export/ort-node';
import { fixtureBytes, fixtureCases, modelOf, run } from './helpers';

const cases = fixtureCases();
const byFile = (file: string) => cases.find((c) => c.file === file)!;

describe('importing models written by torch.onnx.export and onnx.helper', () => {
  for (const c of cases.filter((c) => c.file !== 'torch-exp.onnx')) {
    it(`${c.file} (${c.writer}): the engine computes PyTorch's output; exported again, so does ONNX Runtime`, async () => {
      const imported = importOnnx(fixtureBytes(c.file), c.file);
      const model = modelOf(imported);
      const ours = run(model, c.input);
      expect(maxAbsDiff(ours, c.output.data)).toBeLessThan(1e-5);
      const again = exportOnnx({ graph: model.graph, weights: model.exportWeights() });
      const inputName = model.graph.input.id;
      const ort = await runOnnx(again, {
        name: inputName,
        data: Float32Array.from(c.input.data),
        dims: c.input.dims,
      });
      expect([...ort.dims]).toEqual(c.output.dims);
      expect(maxAbsDiff(ort.data, c.output.data)).toBeLessThan(1e-5);
    });
  }

  it('reads the network each file holds: layers, ids from the module names, parameters', () => {
    const mlp = importOnnx(fixtureBytes('torch-mlp.onnx'), 'torch-mlp.onnx');
    expect(mlp.project.nodes.map((n) => [n.id, n.type, n.inputs ?? []])).toEqual([
      ['x', 'Input', []],
      ['fc1', 'Dense', ['x']],
      ['relu1', 'ReLU', ['fc1']],
      ['fc2', 'Dense', ['relu1']],
      ['tanh1', 'Tanh', ['fc2']],
      ['out', 'Dense', ['tanh1']],
      ['y', 'Sigmoid', ['out']],
    ]);
    expect(mlp.project.loss).toEqual({ type: 'BCE' });
    expect(mlp.project.name).toBe('torch-mlp');
    expect(mlp.notes.join('\n')).toContain(
      "the normalization before node '/fc1/Gemm' (Gemm) (Sub, Div) is folded into its weights",
    );

    const matmul = importOnnx(fixtureBytes('torch-matmul.onnx'), 'torch-matmul.onnx');
    expect(matmul.project.nodes.map((n) => [n.type, n.params ?? {}])).toEqual([
      ['Input', { shape: [4] }],
      ['Dense', { units: 6, bias: true }],
      ['LeakyReLU', { slope: 0.2 }],
      ['Dense', { units: 3, bias: false }],
      ['Softmax', {}],
    ]);

    const dag = importOnnx(fixtureBytes('torch-dag-dropout.onnx'), 'torch-dag-dropout.onnx');
    const types = dag.project.nodes.map((n) => n.type);
    expect(types).toEqual([
      'Input',
      'Dense',
      'Tanh',
      'Dense',
      'ReLU',
      'Add',
      'Concat',
      'Dropout',
      'Dense',
    ]);
    expect(dag.project.nodes.find((n) => n.type === 'Dropout')!.params).toEqual({ p: 0.25 });
    expect(dag.project.nodes.find((n) => n.type === 'Concat')!.inputs).toEqual(['add1', 'relu1']);

    const helper = importOnnx(fixtureBytes('onnx-helper.onnx'), 'onnx-helper.onnx');
    expect(helper.project.nodes.map((n) => [n.id, n.type, n.params ?? {}])).toEqual([
      ['X', 'Input', { shape: [3] }],
      ['dense', 'Dense', { units: 4, bias: true }],
      ['probs', 'Softmax', {}],
      ['drop', 'Dropout', { p: 0.3 }],
      ['leaky', 'LeakyReLU', { slope: 0.01 }],
      ['proj', 'Dense', { units: 2, bias: false }],
    ]);
    // A placeholder sample that fits the network, so that the project trains as it is.
    expect(helper.project.data).toEqual({ x: [[0, 0, 0]], y: [[0, 0]] });

    // nn.GELU() as torch writes it (Div by √2, Erf, Add, Mul, Mul), and approximate='tanh'
    // (Mul, Mul, Mul, Add, Mul, Tanh, Add, Mul, Mul): each one layer again.
    const gelu = importOnnx(fixtureBytes('torch-gelu.onnx'), 'torch-gelu.onnx');
    expect(gelu.project.nodes.map((n) => [n.id, n.type, n.params ?? {}])).toEqual([
      ['x', 'Input', { shape: [3] }],
      ['fc1', 'Dense', { units: 6, bias: true }],
      ['exact', 'GELU', { approximate: 'none' }],
      ['fc2', 'Dense', { units: 4, bias: true }],
      ['tanh', 'GELU', { approximate: 'tanh' }],
    ]);
  });

  it('refuses an operator the engine does not have, naming the node and the operator', () => {
    let error: unknown;
    try {
      importOnnx(fixtureBytes('torch-exp.onnx'), 'torch-exp.onnx');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toMatch(
      /^torch-exp\.onnx: node '\/Exp' \(Exp\) cannot be imported: the engine has no layer for Exp \(it imports Gemm, MatMul/,
    );
    expect((error as LabError).place.node).toBe('/Exp');
  });

  it('the fixture outputs are what ONNX Runtime computes from the original files', async () => {
    // Not the training-mode export: its Dropout drops at random in ONNX Runtime.
    for (const file of [
      'torch-mlp.onnx',
      'torch-matmul.onnx',
      'torch-dag.onnx',
      'onnx-helper.onnx',
      'torch-gelu.onnx',
    ]) {
      const c = byFile(file);
      const name = file === 'onnx-helper.onnx' ? 'X' : 'x';
      const ort = await runOnnx(fixtureBytes(file), {
        name,
        data: Float32Array.from(c.input.data),
        dims: c.input.dims,
      });
      expect(maxAbsDiff(ort.data, c.output.data), file).toBeLessThan(1e-5);
    }
  });
});
