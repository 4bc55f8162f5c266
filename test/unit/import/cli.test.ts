// `backprop-lab import MODEL.onnx --out PROJECT.json`: the project and its weights beside it,
// which train and export again; a model the engine cannot express is refused in one line,
// writing nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { readSafetensors } from '../../../core/io/safetensors';
import { EXAMPLES, hasStackTrace, runBin, tempDir } from '../cli/run-bin';
import { maxAbsDiff } from '../export/networks';
import { runOnnx } from '../export/ort-node';
import { fixtureCases, FIXTURES } from './helpers';

const tmp = tempDir('backprop-lab-import-cli-');
afterAll(() => tmp.cleanup());
const fixture = (file: string) => fileURLToPath(new URL(file, FIXTURES));

describe('backprop-lab import', () => {
  it('writes the project and its weights, which train and export again with the same outputs', async () => {
    const out = join(tmp.dir, 'mlp', 'mlp.json');
    const r = await runBin(['import', fixture('torch-mlp.onnx'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const weights = join(tmp.dir, 'mlp', 'mlp.safetensors');
    expect(r.stdout).toBe(
      `wrote ${out}\nwrote ${weights}\ntrain from these weights: backprop-lab train ${out} --init ${weights}\n`,
    );
    expect(r.stderr).toContain('note: the normalization before');
    expect(r.stderr).toContain('note: the data and the loss are placeholders');
    const project = parseProject(JSON.parse(readFileSync(out, 'utf8')));
    expect(project.nodes.map((n) => n.type)).toEqual([
      'Input',
      'Dense',
      'ReLU',
      'Dense',
      'Tanh',
      'Dense',
      'Sigmoid',
    ]);
    const file = readSafetensors(new Uint8Array(readFileSync(weights)));
    expect(JSON.parse(file.metadata.project).nodes).toHaveLength(7);
    expect(Object.keys(file.tensors).sort()).toEqual([
      'fc1.bias',
      'fc1.weight',
      'fc2.bias',
      'fc2.weight',
      'out.bias',
      'out.weight',
    ]);

    const again = join(tmp.dir, 'mlp', 'again.onnx');
    const [exported, trained] = await Promise.all([
      runBin(['export', out, '--weights', weights, '--out', again, '--quiet']),
      runBin(['train', out, '--init', weights, '--epochs', '1', '--quiet']),
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(trained.code, trained.stderr).toBe(0);
    const c = fixtureCases().find((k) => k.file === 'torch-mlp.onnx')!;
    const ort = await runOnnx(new Uint8Array(readFileSync(again)), {
      name: 'x',
      data: Float32Array.from(c.input.data),
      dims: c.input.dims,
    });
    expect(maxAbsDiff(ort.data, c.output.data)).toBeLessThan(1e-5);
  });

  it('a model the lab exported from a normalizing project: the statistics go into the weights file', async () => {
    const iris = JSON.parse(readFileSync(join(EXAMPLES, 'iris.json'), 'utf8'));
    const file = tmp.file(
      'iris-std.json',
      JSON.stringify({ ...iris, data: { ...iris.data, normalize: 'standardize' } }),
    );
    const onnx = join(tmp.dir, 'iris-std.onnx');
    const trained = join(tmp.dir, 'iris-std.safetensors');
    const t = await runBin([
      'train',
      file,
      '--epochs',
      '3',
      '--export',
      onnx,
      '--export',
      trained,
      '--quiet',
    ]);
    expect(t.code, t.stderr).toBe(0);
    const out = join(tmp.dir, 'back', 'iris.json');
    const r = await runBin(['import', onnx, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const meta = (f: string) => readSafetensors(new Uint8Array(readFileSync(f))).metadata;
    expect(JSON.parse(meta(join(tmp.dir, 'back', 'iris.safetensors')).normalization)).toEqual(
      JSON.parse(meta(trained).normalization),
    );
    expect(JSON.parse(readFileSync(out, 'utf8')).data.normalize).toBe('standardize');
  });

  it('refuses a model with an operator the engine lacks: one line naming the node, nothing written', async () => {
    const out = join(tmp.dir, 'exp.json');
    const r = await runBin(['import', fixture('torch-exp.onnx'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      "node '/Exp' (Exp) cannot be imported: the engine has no layer for Exp",
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(tmp.dir, 'exp.safetensors'))).toBe(false);
  });

  it('needs --out PROJECT.json, and a file that exists', async () => {
    const model = fixture('torch-mlp.onnx');
    const none = await runBin(['import', model]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('import needs --out PROJECT.json');
    const wrong = await runBin(['import', model, '--out', join(tmp.dir, 'x.onnx')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--out: the project is a .json file');
    const missing = await runBin([
      'import',
      join(tmp.dir, 'nope.onnx'),
      '--out',
      join(tmp.dir, 'n.json'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.onnx: cannot read the model');
    const help = await runBin(['--help']);
    expect(help.stdout).toMatch(/import\s+Turn an ONNX model/);
  });
});
