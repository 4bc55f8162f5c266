// The one export API the command line and the app share: the format table and exportModel.
import { describe, expect, it } from 'vitest';
import {
  exportFormat,
  exportFormatForFile,
  exportFormats,
  exportModel,
  expectedWeights,
  suggestedFileName,
} from '../../../core/export';
import { LabError } from '../../../core/util/errors';
import { allNets } from './networks';

const xor = allNets()[0];

function thrown(fn: () => unknown): LabError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('expected a LabError');
}

describe('export formats', () => {
  it('lists safetensors, JSON, ONNX and PyTorch code with extension, label and description', () => {
    expect(exportFormats.map((f) => [f.id, f.extension, f.binary])).toEqual([
      ['safetensors', '.safetensors', true],
      ['json', '.json', false],
      ['onnx', '.onnx', true],
      ['py', '.py', false],
    ]);
    for (const f of exportFormats) {
      expect(f.label.length).toBeGreaterThan(0);
      expect(f.description).toMatch(/\.$/);
      expect(exportFormat(f.id)).toBe(f);
    }
  });

  it('finds the format of a file name by its extension', () => {
    expect(exportFormatForFile('out/xor.ONNX')?.id).toBe('onnx');
    expect(exportFormatForFile('model.safetensors')?.id).toBe('safetensors');
    expect(exportFormatForFile('net.py')?.id).toBe('py');
    expect(exportFormatForFile('model.pt')).toBeUndefined();
    expect(exportFormatForFile('.onnx')).toBeUndefined();
  });

  it('suggests file names: a slug, and a Python module name for .py', () => {
    expect(suggestedFileName('XOR', 'onnx')).toBe('xor.onnx');
    expect(suggestedFileName('Iris — café net', 'safetensors')).toBe('iris-cafe-net.safetensors');
    expect(suggestedFileName('2-layer net', 'py')).toBe('net_2_layer_net.py');
    expect(suggestedFileName('***', 'json')).toBe('network.json');
  });
});

describe('exportModel', () => {
  const input = { graph: xor.graph, weights: xor.weights };

  it('returns bytes for safetensors and ONNX, text for JSON and Python, as the table says', () => {
    for (const f of exportFormats) {
      const out = exportModel(f.id, input);
      expect(out instanceof Uint8Array, f.id).toBe(f.binary);
      expect(typeof out === 'string', f.id).toBe(!f.binary);
    }
  });

  it('writes the project it is given (e.g. with changed epochs) into the metadata', () => {
    const project = { ...xor.graph.project, name: 'Renamed' };
    const text = exportModel('json', { ...input, project });
    expect(JSON.parse(text).project.name).toBe('Renamed');
    expect(exportModel('py', { ...input, project })).toMatch(/^# Renamed: a network/);
  });

  it('expects one tensor per weight of the graph, by full name', () => {
    expect(expectedWeights(xor.graph)).toEqual({
      'fc1.weight': [8, 2],
      'fc1.bias': [8],
      'fc2.weight': [1, 8],
      'fc2.bias': [1],
    });
  });

  it('refuses weights that do not fit the graph in every format, listing each mismatch', () => {
    const { 'fc2.bias': _dropped, ...rest } = xor.weights;
    const weights = {
      ...rest,
      'fc1.weight': { shape: [2, 8], data: xor.weights['fc1.weight'].data },
      'extra.w': { shape: [1], data: new Float32Array(1) },
    };
    for (const f of exportFormats) {
      const e = thrown(() => exportModel(f.id, { graph: xor.graph, weights }));
      expect(e.code).toBe('WEIGHTS');
      expect(e.problems).toEqual([
        'fc1.weight: expected shape [8, 2], file has [2, 8]',
        'fc2.bias: missing from the file (expected shape [1])',
        'extra.w: in the file but not in the network (shape [1])',
      ]);
    }
  });

  it('refuses an unknown format', () => {
    const e = thrown(() => exportModel('pt' as never, input));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe('unknown export format "pt" (formats: safetensors, json, onnx, py)');
  });

  it('refuses ONNX for a network whose output is its input', () => {
    const graph = { ...xor.graph, output: xor.graph.input };
    const e = thrown(() => exportModel('onnx', { graph, weights: xor.weights }));
    expect(e.message).toBe(
      "the output 'x' is the Input node itself: there is no computation to export",
    );
  });
});
