// The command line: `backprop-lab export` and `train --export` with every format, their
// refusals, and weights that go out with `export` and come back with `train --init`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../../core/graph/compile';
import { readSafetensors } from '../../../core/io/safetensors';
import { readWeightsJson } from '../../../core/io/weights-json';
import { LayerRegistry } from '../../../core/layers/registry';
import { Model } from '../../../core/model/model';
import { EXAMPLES, hasStackTrace, runBin, tempDir } from '../cli/run-bin';
import {
  coreOutput,
  exampleProject,
  inputsFor,
  maxAbsDiff,
  projectOf,
  WACKY_MAPPED,
  type Net,
} from './networks';
import { runOnnx } from './ort-node';
import { runExportedPython, whyNoTorch } from './python-torch';

const tmp = tempDir('backprop-lab-export-cli-');
afterAll(() => tmp.cleanup());
const XOR = join(EXAMPLES, 'xor.json');
const out = (name: string) => join(tmp.dir, name);
const bytes = (file: string) => new Uint8Array(readFileSync(file));
const noTorch = whyNoTorch();

/** The network of a project file with the weights of a safetensors file, as the engine runs it. */
function netFromFiles(
  project: ReturnType<typeof exampleProject>,
  weightsFile: string,
  registry = new LayerRegistry(),
): Net {
  const graph = compileProject(project, registry);
  const model = new Model(graph, 0);
  model.importWeights(readSafetensors(bytes(weightsFile)).tensors);
  return { name: project.name, graph, model, weights: model.exportWeights() };
}

const WACKY_PLUGIN_SOURCE = `
// Wacky with an ONNX mapping and PyTorch code, as a plugin file.
export default {
  type: 'Wacky',
  description: 'y = x * sigmoid(a * x)',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: { normal: [0, 1] } } } };
  },
  forward(ctx, x, { a }) {
    return ctx.ops.mul(x, ctx.ops.sigmoid(ctx.ops.mul(x, a)));
  },
  onnx(ctx) {
    const ax = ctx.value('ax'), s = ctx.value('sigmoid');
    return [
      { op: 'Mul', inputs: [ctx.inputs[0], ctx.weights.a], outputs: [ax] },
      { op: 'Sigmoid', inputs: [ax], outputs: [s] },
      { op: 'Mul', inputs: [ctx.inputs[0], s], outputs: [ctx.output] },
    ];
  },
  pytorch: {
    className: 'WackyLayer',
    code: \`
      class WackyLayer(nn.Module):
          def __init__(self, params, in_shapes, out_shape, weight_shapes):
              super().__init__()
              self.a = nn.Parameter(torch.ones(weight_shapes["a"]))

          def forward(self, x):
              return x * torch.sigmoid(self.a * x)
    \`,
  },
};
`;

/** A project using Wacky from a plugin file; `mapped` picks the file with ONNX/PyTorch code. */
function wackyProjectFile(mapped: boolean): {
  file: string;
  project: ReturnType<typeof projectOf>;
} {
  const plugin = mapped ? 'wacky-mapped.js' : 'wacky-plain.js';
  tmp.file(
    plugin,
    mapped ? WACKY_PLUGIN_SOURCE : readFileSync(join(EXAMPLES, '../plugins/wacky.js'), 'utf8'),
  );
  const project = projectOf(
    'Wacky CLI',
    [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'w1', type: 'Wacky', inputs: ['fc'] },
      { id: 'y', type: 'Dense', params: { units: 1 }, inputs: ['w1'] },
    ],
    'y',
    [`./${plugin}`],
  );
  // Data that trains: xor's two features and one target.
  const data = { source: 'builtin:xor', samples: 40 };
  const file = tmp.file(
    mapped ? 'wacky-mapped.json' : 'wacky-plain.json',
    JSON.stringify({ ...project, data }),
  );
  return { file, project };
}

describe('backprop-lab export', () => {
  it('exports the initial weights from the seed in every format, with a note', async () => {
    const files = ['init.safetensors', 'init.json', 'init.onnx', 'init.py'].map(out);
    const r = await runBin(['export', XOR, ...files.flatMap((f) => ['--out', f])]);
    expect(r.stderr).toContain(
      'note: no --weights given: exporting the initial weights from seed 42',
    );
    expect(r.code).toBe(0);
    for (const f of files) expect(r.stdout).toContain(`wrote ${f}`);

    // The same weights as `train --epochs 0` starts from.
    const trained = out('epochs0.safetensors');
    expect(
      (await runBin(['train', XOR, '--epochs', '0', '--quiet', '--export', trained])).code,
    ).toBe(0);
    const a = readSafetensors(bytes(files[0])).tensors;
    const b = readSafetensors(bytes(trained)).tensors;
    for (const name of Object.keys(b))
      expect(Array.from(a[name].data), name).toEqual(Array.from(b[name].data));
    expect(readWeightsJson(readFileSync(files[1], 'utf8')).tensors['fc1.weight'].data).toEqual(
      a['fc1.weight'].data,
    );

    const net = netFromFiles(exampleProject('xor.json'), files[0]);
    const input = inputsFor(net);
    const onnx = await runOnnx(bytes(files[2]), { name: 'x', ...input });
    expect(maxAbsDiff(onnx.data, coreOutput(net, input))).toBeLessThan(1e-5);
    expect(readFileSync(files[3], 'utf8')).toContain('class Net(nn.Module):');
  });

  it('exports given weights; they load back with train --init and give identical outputs', async () => {
    const trained = out('trained.safetensors');
    expect(
      (await runBin(['train', XOR, '--epochs', '5', '--quiet', '--export', trained])).code,
    ).toBe(0);
    const [st, js, onnx] = ['exported.safetensors', 'exported.json', 'exported.onnx'].map(out);
    const r = await runBin([
      'export',
      XOR,
      '--weights',
      trained,
      '--out',
      st,
      '--out',
      js,
      '--out',
      onnx,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('note: no --weights');

    const original = netFromFiles(exampleProject('xor.json'), trained);
    const input = inputsFor(original, 9);
    const expected = coreOutput(original, input);
    for (const init of [st, js]) {
      const back = out(`back-from-${init.endsWith('.json') ? 'json' : 'st'}.safetensors`);
      const t = await runBin([
        'train',
        XOR,
        '--epochs',
        '0',
        '--quiet',
        '--init',
        init,
        '--export',
        back,
      ]);
      expect(t.code, t.stderr).toBe(0);
      const reloaded = netFromFiles(exampleProject('xor.json'), back);
      for (const [name, w] of Object.entries(original.weights)) {
        expect(Array.from(reloaded.weights[name].data), name).toEqual(Array.from(w.data));
      }
      expect(Array.from(coreOutput(reloaded, input))).toEqual(Array.from(expected));
    }
    const run = await runOnnx(bytes(onnx), { name: 'x', ...input });
    expect(maxAbsDiff(run.data, expected)).toBeLessThan(1e-5);
  });

  it('exports a plugin layer with an ONNX mapping and PyTorch code from its plugin file', async () => {
    const { file, project } = wackyProjectFile(true);
    const [st, onnx, py] = ['wacky.safetensors', 'wacky.onnx', 'wacky.py'].map(out);
    const r = await runBin(['export', file, '--out', st, '--out', onnx, '--out', py]);
    expect(r.code, r.stderr).toBe(0);
    const registry = new LayerRegistry();
    registry.add(WACKY_MAPPED, 'wacky-mapped.js');
    const net = netFromFiles(project, st, registry);
    const input = inputsFor(net);
    const expected = coreOutput(net, input);
    const run = await runOnnx(bytes(onnx), { name: 'x', ...input });
    expect(maxAbsDiff(run.data, expected)).toBeLessThan(1e-5);
    if (noTorch) {
      console.warn(`PyTorch part skipped: ${noTorch}`);
      return;
    }
    const pyRun = runExportedPython(py, st, input, tmp.dir);
    expect(maxAbsDiff(pyRun.values!, expected)).toBeLessThan(1e-5);
  });

  it.each([
    {
      what: 'no --out',
      args: () => ['export', XOR],
      message:
        /^backprop-lab: export needs at least one --out FILE \(\.safetensors, \.json, \.onnx or \.py\)/,
    },
    {
      what: 'an --out format that does not exist',
      args: () => ['export', XOR, '--out', out('model.pt')],
      message:
        /^backprop-lab: \S*model\.pt: --out: \.pt files are not supported \(supported: \.safetensors, \.json, \.onnx, \.py\)$/m,
    },
    {
      what: '--weights of a format that cannot hold weights',
      args: () => ['export', XOR, '--weights', out('w.onnx'), '--out', out('never.json')],
      message:
        /^backprop-lab: \S*w\.onnx: --weights: \.onnx files are not supported yet \(supported: \.safetensors, \.json\)$/m,
    },
    {
      what: '--weights that do not exist',
      args: () => [
        'export',
        XOR,
        '--weights',
        out('missing.safetensors'),
        '--out',
        out('never.json'),
      ],
      message: /^backprop-lab: \S*missing\.safetensors: cannot read the weights: no such file$/m,
    },
    {
      what: 'a project that does not exist',
      args: () => ['export', out('nope.json'), '--out', out('never.json')],
      message: /^backprop-lab: \S*nope\.json: cannot read the project: no such file$/m,
    },
  ])('refuses $what with exit 2 and one message', async ({ args, message }) => {
    const r = await runBin(args());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(out('never.json'))).toBe(false);
  });

  it('refuses weights of another network, listing every mismatch', async () => {
    const iris = out('iris-init.safetensors');
    expect(
      (await runBin(['export', join(EXAMPLES, 'iris.json'), '--quiet', '--out', iris])).code,
    ).toBe(0);
    const r = await runBin(['export', XOR, '--weights', iris, '--out', out('never.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /iris-init\.safetensors: weights do not match the network: 2 missing tensors, 2 extra tensors, 2 shape mismatches/,
    );
    expect(r.stderr).toContain('  fc1.weight: expected shape [8, 2], file has [16, 4]');
    expect(r.stderr).toContain(
      '  logits.weight: in the file but not in the network (shape [3, 16])',
    );
  });

  it('refuses ONNX for a plugin layer without mapping, naming the node, and writes none of the files', async () => {
    const { file } = wackyProjectFile(false);
    const [st, onnx] = ['plain.safetensors', 'plain.onnx'].map(out);
    const r = await runBin(['export', file, '--out', st, '--out', onnx]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^backprop-lab: \S*plain\.onnx: node 'w1' uses the plugin layer Wacky, which has no ONNX mapping \(give its definition in \.\/wacky-plain\.js an onnx\(ctx\) method, or export \.safetensors or \.py instead\)$/m,
    );
    expect(existsSync(st)).toBe(false);
    expect(existsSync(onnx)).toBe(false);
    // The same network exports to .py, with a stub class for the plugin.
    const py = await runBin(['export', file, '--out', out('plain.py'), '--quiet']);
    expect(py.code, py.stderr).toBe(0);
    expect(readFileSync(out('plain.py'), 'utf8')).toContain('raise NotImplementedError(');
  });
});

describe('backprop-lab train --export', () => {
  it('writes .onnx and .py next to the weights, all from the trained network', async () => {
    const [st, onnx, py] = ['t.safetensors', 't.onnx', 't.py'].map(out);
    const r = await runBin([
      'train',
      XOR,
      '--epochs',
      '3',
      '--export',
      onnx,
      '--export',
      py,
      '--export',
      st,
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [st, onnx, py]) expect(r.stdout).toContain(`wrote ${f}`);
    expect(r.stderr).not.toContain('note:');
    const net = netFromFiles(exampleProject('xor.json'), st);
    const input = inputsFor(net);
    const expected = coreOutput(net, input);
    const run = await runOnnx(bytes(onnx), { name: 'x', ...input });
    expect(maxAbsDiff(run.data, expected)).toBeLessThan(1e-5);
    if (!noTorch) {
      expect(maxAbsDiff(runExportedPython(py, st, input, tmp.dir).values!, expected)).toBeLessThan(
        1e-5,
      );
    }
  });

  it('notes that a .py export needs a .safetensors export to load', async () => {
    const r = await runBin(['train', XOR, '--epochs', '1', '--export', out('alone.py')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `note: ${out('alone.py')} loads its weights with load('….safetensors'): export a .safetensors file too`,
    );
  });

  it('refuses an unmapped plugin for ONNX before training, with exit 2', async () => {
    const { file } = wackyProjectFile(false);
    const report = out('never-report.json');
    const r = await runBin(['train', file, '--export', out('t-plain.onnx'), '--report', report]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /t-plain\.onnx: node 'w1' uses the plugin layer Wacky, which has no ONNX mapping/,
    );
    expect(r.stderr).not.toMatch(/epoch/);
    expect(existsSync(report)).toBe(false);
  });

  it('refuses an export format it does not know before training', async () => {
    const r = await runBin(['train', XOR, '--export', out('model.h5')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /model\.h5: --export: \.h5 files are not supported \(supported: \.safetensors, \.json, \.onnx, \.py\)$/m,
    );
  });

  it('lists the export command and the new formats in the help', async () => {
    const [main, train, exp] = await Promise.all([
      runBin(['--help']),
      runBin(['train', '--help']),
      runBin(['export', '--help']),
    ]);
    expect(main.stdout).toMatch(/export\s+Export a network without training/);
    expect(train.stdout).toContain('write the trained network (.safetensors, .json, .onnx or .py)');
    expect(exp.stdout).toMatch(/^Usage: backprop-lab export PROJECT \[options\]/);
    for (const opt of [
      '--out FILE|DIR/ …',
      '--weights W.safetensors',
      '--seed S',
      '--plugin FILE …',
      '--quiet',
    ]) {
      expect(exp.stdout).toContain(opt);
    }
    expect(exp.stdout).toContain('DIR/ (a folder) gets a PyTorch training folder');
  });
});
