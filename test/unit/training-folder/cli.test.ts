// `backprop-lab export PROJECT --out DIR/`: the folder's files and their contents, plugin
// layers (their PyTorch code trains; a plugin without it is named before anything is written),
// and a folder target where only files can go.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../core/io/safetensors';
import { LayerRegistry } from '../../../core/layers/registry';
import { prepareTraining } from '../../../core/project/prepare';
import { parseProject } from '../../../core/graph/parse';
import { nodeHost } from '../../../cli/host';
import { EXAMPLES, runBin, tempDir } from '../cli/run-bin';
import {
  lab,
  maxAbsDiff,
  readJson,
  readWeights,
  trainPy,
  whyNoTorch,
  writeJson,
} from './folder-runs';

const tmp = tempDir('backprop-lab-folder-cli-');
afterAll(() => tmp.cleanup());
const XOR = join(EXAMPLES, 'xor.json');
const noTorch = whyNoTorch();

/** Wacky (y = x ⊙ σ(a ⊙ x)) as a plugin file, with or without its PyTorch code. */
function wackyPlugin(file: string, withPytorch: boolean): void {
  tmp.file(
    file,
    `export default {
  type: 'Wacky',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: { normal: [0, 1] } } } };
  },
  forward(ctx, x, { a }) {
    return ctx.ops.mul(x, ctx.ops.sigmoid(ctx.ops.mul(x, a)));
  },
  ${
    withPytorch
      ? `pytorch: {
    className: 'WackyLayer',
    code: \`
      class WackyLayer(nn.Module):
          def __init__(self, params, in_shapes, out_shape, weight_shapes):
              super().__init__()
              self.a = nn.Parameter(torch.ones(weight_shapes["a"]))

          def forward(self, x):
              return x * torch.sigmoid(self.a * x)
    \`,
  },`
      : ''
  }
};
`,
  );
}

function wackyProject(name: string, plugins: string[], layers: string[]): string {
  const nodes = [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
    ...layers.map((type, i) => ({
      id: `w${i + 1}`,
      type,
      inputs: [i === 0 ? 'fc' : `w${i}`],
      ...(type === 'Swish' ? { params: { beta: 1.5 } } : {}),
    })),
    { id: 'out', type: 'Dense', params: { units: 1 }, inputs: [`w${layers.length}`] },
    { id: 'y', type: 'Sigmoid', inputs: ['out'] },
  ];
  return writeJson(join(tmp.dir, `${name}.json`), {
    format: 'backprop-lab.project',
    version: 1,
    name,
    nodes,
    output: 'y',
    loss: { type: 'BCE' },
    data: { source: 'builtin:circle', samples: 60, testFraction: 0.25 },
    training: {
      optimizer: { type: 'adam', lr: 0.02 },
      batchSize: 10,
      epochs: 8,
      seed: 3,
      shuffle: true,
    },
    plugins: plugins.map((p) => `./${p}`),
  });
}

describe('backprop-lab export --out DIR/', () => {
  it('writes the folder: the engine’s split, its initial weights, the settings and a README', async () => {
    const dir = join(tmp.dir, 'xor-folder/');
    const r = await runBin(['export', XOR, '--out', dir, '--out', join(tmp.dir, 'xor.onnx')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${dir}`);
    expect(r.stdout).toContain(`python3 ${join(dir, 'train.py')}`);

    const project = parseProject(JSON.parse(readFileSync(XOR, 'utf8')));
    const prepared = prepareTraining(project, {
      host: nodeHost(XOR),
      registry: new LayerRegistry(),
    });
    const data = readSafetensors(new Uint8Array(readFileSync(join(dir, 'data.safetensors'))));
    expect(data.tensors['train.x'].shape).toEqual([prepared.train.n, 2]);
    expect(data.tensors['train.x'].data).toEqual(prepared.train.x);
    expect(data.tensors['train.y'].data).toEqual(prepared.train.y);
    expect(data.tensors['test.x'].data).toEqual(prepared.test.x);
    expect(data.tensors['test.y'].shape).toEqual([prepared.test.n, 1]);
    expect(data.metadata.format).toBe('backprop-lab.pytorch-data');
    expect(JSON.parse(data.metadata.featureNames)).toEqual(prepared.train.featureNames);

    const initial = readSafetensors(new Uint8Array(readFileSync(join(dir, 'initial.safetensors'))));
    const fresh = prepared.trainer.model.exportWeights();
    for (const [name, t] of Object.entries(fresh))
      expect(initial.tensors[name].data, name).toEqual(t.data);
    expect(JSON.parse(initial.metadata.project).name).toBe('XOR');

    const config = readJson(join(dir, 'training.json'));
    expect(config).toMatchObject({
      format: 'backprop-lab.pytorch-training',
      version: 1,
      loss: 'BCE',
      targets: { kind: 'rows', shape: [1] },
      optimizer: { type: 'sgd', lr: 0.5, momentum: 0, weightDecay: 0 },
      batchSize: 16,
      epochs: 200,
      seed: 42,
      shuffle: true,
      trainable: ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'],
      trainSamples: prepared.train.n,
      testSamples: prepared.test.n,
    });
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('# XOR: training in PyTorch');
    expect(readme).toContain('torchrun --nproc_per_node=2 train.py');
    expect(readme).toContain('RANK=1 LOCAL_RANK=1 python3 train.py');
    expect(readme).toContain('200 epochs on the CPU');
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toContain('class Net(nn.Module):');
    expect(existsSync(join(tmp.dir, 'xor.onnx'))).toBe(true);
  });

  it('CrossEntropy on class indices: index targets; an existing folder is a folder target too', async () => {
    const dir = join(tmp.dir, 'iris-existing');
    await lab(['export', join(EXAMPLES, 'iris.json'), '--out', `${dir}/`, '--quiet']);
    // Now it exists: named without the slash, it is still the folder.
    await lab(['export', join(EXAMPLES, 'iris.json'), '--out', dir, '--quiet', '--seed', '9']);
    const config = readJson(join(dir, 'training.json'));
    expect(config.targets).toEqual({ kind: 'index', shape: [] });
    expect(config.seed).toBe(9);
    expect(config.classTargets).toBe(true);
  });

  it('a plugin without PyTorch code: every such layer is named, and nothing is written', async () => {
    wackyPlugin('wacky-plain.js', false);
    const file = wackyProject('plain', ['wacky-plain.js'], ['Wacky', 'Wacky']);
    const dir = join(tmp.dir, 'plain-folder/');
    const py = join(tmp.dir, 'plain.py');
    const r = await runBin(['export', file, '--out', py, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "node 'w1' uses the plugin layer Wacky (from ./wacky-plain.js), which has no PyTorch code: port its forward()",
    );
    expect(r.stderr).toContain("node 'w2' uses the plugin layer Wacky");
    expect(existsSync(dir)).toBe(false);
    // Not even the .py file, which alone would have been possible (with a stub).
    expect(existsSync(py)).toBe(false);
  });

  it('train --export DIR/ is refused with a pointer to export', async () => {
    const r = await runBin(['train', XOR, '--export', join(tmp.dir, 'nope/')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('backprop-lab export PROJECT --out DIR/');
    expect(existsSync(join(tmp.dir, 'nope'))).toBe(false);
  });

  it.skipIf(noTorch !== undefined)(
    'plugins with PyTorch code (a test plugin, the shipped Swish): their classes train as the engine trains the plugins',
    async () => {
      wackyPlugin('wacky-torch.js', true);
      const file = wackyProject('torch-plugin', ['wacky-torch.js', 'swish.ts'], ['Wacky', 'Swish']);
      const dir = join(tmp.dir, 'torch-plugin-folder/');
      const engine = join(tmp.dir, 'torch-plugin-engine.safetensors');
      await Promise.all([
        lab(['export', file, '--out', dir, '--quiet']),
        lab(['train', file, '--export', engine, '--quiet']),
      ]);
      const torch = join(tmp.dir, 'torch-plugin-torch.safetensors');
      await trainPy(dir, ['--out', torch]);
      expect(maxAbsDiff(readWeights(torch), readWeights(engine))).toBeLessThan(1e-4);
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
        'Plugin layers (Wacky, Swish) run their own PyTorch code',
      );
    },
  );
});
