// data.normalize travels with the trained network: the weights files carry the statistics, the
// ONNX model computes Sub and Div before the first layer, the PyTorch module holds them as
// buffers. Every export, fed raw features, gives what the engine gives on normalized ones.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { noGrad } from '../../../core/autograd/state';
import { normalizeFeatures, type NormalizeKind } from '../../../core/data/normalize';
import { exportModel } from '../../../core/export';
import { parseProject } from '../../../core/graph/parse';
import { readSafetensors } from '../../../core/io/safetensors';
import { readWeightsJson } from '../../../core/io/weights-json';
import { parseWeightsMetadata } from '../../../core/io/weights-metadata';
import { prepareTraining } from '../../../core/project/prepare';
import { Tensor } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';
import { makeProject, nodeHost } from '../../helpers/project';
import { maxAbsDiff } from './networks';
import { runOnnx } from './ort-node';
import { PYTHON, runExportedPython, scratch, whyNoTorch } from './python-torch';

const tmp = scratch('backprop-lab-normalize-');
afterAll(() => tmp.cleanup());

/** Raw features of breast-cancer-like scales: a ratio near 0.002, an area in the thousands, a constant. */
function rawRows(n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => [
    0.002 + 0.001 * rng.normal(),
    2000 + 800 * rng.normal(),
    7.25,
    rng.normal() * 3,
  ]);
}

function trained(kind: Exclude<NormalizeKind, 'none'>) {
  const x = rawRows(60, 5);
  const y = x.map((r) => [r[1] > 2000 === r[0] > 0.002 ? 1 : 0]);
  const project = parseProject(
    makeProject(
      [
        { id: 'x', type: 'Input', params: { shape: [4] } },
        { id: 'fc1', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
        { id: 'h', type: 'Tanh', inputs: ['fc1'] },
        { id: 'fc2', type: 'Dense', params: { units: 2 }, inputs: ['h'] },
      ],
      {
        loss: { type: 'CrossEntropy' },
        data: { x, y, testFraction: 0.2, normalize: kind },
        training: { optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, epochs: 20, seed: 3 },
      },
    ),
  );
  const p = prepareTraining(project, { host: nodeHost });
  while (!p.trainer.finished) p.trainer.step();
  const input = {
    graph: p.graph,
    weights: p.trainer.model.exportWeights(),
    project,
    normalization: p.trainer.normalization,
  };
  // New raw rows, as a user would feed them: the engine's output on their normalized features.
  const raw = Float32Array.from(rawRows(7, 9).flat());
  const normalized = normalizeFeatures(p.trainer.normalization!, raw, 4);
  const engine = noGrad(() =>
    p.trainer.model.forward(new Tensor(normalized, [7, 4]), { training: false, rng: new Rng(0) }),
  ).output.data;
  return { p, input, raw, engine: Float32Array.from(engine) };
}

function whyNoOnnx(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${PYTHON} has no 'onnx' package`;
}

const NODES = `
import sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
for n in m.graph.node[:3]:
    print(n.op_type, ",".join(n.input), ",".join(n.output))
`;

for (const kind of ['standardize', 'minmax'] as const) {
  describe(`a network trained with data.normalize "${kind}"`, () => {
    const t = trained(kind);
    const norm = t.p.trainer.normalization!;

    it('has the statistics of its training split', () => {
      expect(norm.kind).toBe(kind);
      expect(norm.scale[2]).toBe(1); // the constant feature
      expect(norm.offset).toHaveLength(4);
    });

    it('carries them in the safetensors metadata and the JSON weights', () => {
      const st = readSafetensors(exportModel('safetensors', t.input));
      expect(parseWeightsMetadata(st.metadata).normalization).toEqual(norm);
      // Written as the shortest text of each float32 ("0.002"), read back to the same float32.
      const text = JSON.parse(st.metadata.normalization);
      expect(text.kind).toBe(kind);
      expect(text.offset.map(Math.fround)).toEqual(norm.offset);
      expect(text.scale.map(Math.fround)).toEqual(norm.scale);
      const json = readWeightsJson(exportModel('json', t.input));
      expect(json.normalization).toEqual(norm);
    });

    it('ONNX Runtime on raw features gives the engine’s outputs', async () => {
      const bytes = exportModel('onnx', t.input);
      const got = await runOnnx(bytes, { name: 'x', data: t.raw, dims: [7, 4] });
      expect(maxAbsDiff(got.data, t.engine)).toBeLessThan(1e-5);
      // Without the normalization the same weights give something else: the test can fail.
      const plain = await runOnnx(exportModel('onnx', { ...t.input, normalization: null }), {
        name: 'x',
        data: t.raw,
        dims: [7, 4],
      });
      expect(maxAbsDiff(plain.data, t.engine)).toBeGreaterThan(0.1);
    });

    it.skipIf(whyNoOnnx() !== undefined)('onnx.checker accepts it: Sub and Div come first', () => {
      const file = tmp.file(`${kind}.onnx`, exportModel('onnx', t.input));
      const r = spawnSync(PYTHON, ['-c', NODES, file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual([
        'Sub x,x/normalize/offset x/normalize/centred',
        'Div x/normalize/centred,x/normalize/scale x/normalized',
        'Gemm x/normalized,fc1.weight,fc1.bias fc1',
      ]);
    });

    it.skipIf(whyNoTorch() !== undefined)(
      'the PyTorch module on raw features, with its buffers',
      () => {
        const py = tmp.file(`${kind}.py`, exportModel('py', t.input));
        const weights = tmp.file(`${kind}.safetensors`, exportModel('safetensors', t.input));
        const run = runExportedPython(py, weights, { data: t.raw, dims: [7, 4] }, tmp.dir);
        expect(run.stateDict.input_offset).toEqual([4]);
        expect(run.stateDict.input_scale).toEqual([4]);
        expect(maxAbsDiff(run.values!, t.engine)).toBeLessThan(1e-5);
      },
    );
  });
}

describe('exports of a network without normalization', () => {
  it('carry no statistics and no Sub/Div', () => {
    const t = trained('standardize');
    const input = { ...t.input, normalization: null };
    expect(readSafetensors(exportModel('safetensors', input)).metadata.normalization).toBe(
      undefined,
    );
    expect(readWeightsJson(exportModel('json', input)).normalization).toBe(undefined);
    expect(exportModel('py', input)).not.toContain('input_offset');
  });

  it('refuse statistics that do not fit the Input node', () => {
    const t = trained('minmax');
    const wrong = { ...t.input.normalization!, offset: [0], scale: [1] };
    expect(() => exportModel('onnx', { ...t.input, normalization: wrong })).toThrow(
      "the input normalization has 1 offsets and 1 scales, but the Input node 'x' takes 4 features",
    );
  });
});
