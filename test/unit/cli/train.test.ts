import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../../core/io/safetensors';
import { readWeightsJson } from '../../../core/io/weights-json';
import { parseWeightsMetadata, WEIGHTS_FORMAT } from '../../../core/io/weights-metadata';
import { json, WACKY_PLUGIN, xorProject } from './fixtures';
import { EXAMPLES, hasStackTrace, runBin, tempDir } from './run-bin';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const XOR = join(EXAMPLES, 'xor.json');
const EXPECTED_SHAPES = {
  'fc1.bias': [8],
  'fc1.weight': [8, 2],
  'fc2.bias': [1],
  'fc2.weight': [1, 8],
};

function bits(data: Float32Array): number[] {
  return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
}

describe('backprop-lab train', () => {
  it('trains xor, writes a report and weights in both formats that read back', async () => {
    const st = join(tmp.dir, 'out', 'xor.safetensors');
    const wj = join(tmp.dir, 'out', 'xor.json');
    const rp = join(tmp.dir, 'out', 'report.json');
    const r = await runBin(['train', XOR, '--export', st, '--export', wj, '--report', rp]);
    expect(r.stderr).not.toMatch(/backprop-lab:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${st}`);

    const report = JSON.parse(readFileSync(rp, 'utf8'));
    expect(report.name).toBe('XOR');
    expect(report.epochs).toBe(200);
    expect(report.seed).toBe(42);
    expect(report.loss.history).toHaveLength(200);
    expect(report.loss.testHistory).toHaveLength(200);
    expect(report.accuracy.train).toHaveLength(200);
    expect(report.accuracy.test).toHaveLength(200);
    expect(report.loss.final).toBe(report.loss.history[199]);
    expect(report.loss.final).toBeLessThan(report.loss.history[0]);
    expect(report.accuracy.test[199]).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(report.memory.nodes)).toEqual(['x', 'fc1', 'h1', 'fc2', 'y', '(loss)']);
    // Batch 16: tanh keeps its 16×8 float32 output; fc1 keeps its 16×2 input.
    expect(report.memory.nodes.h1.savedBytes).toBe(16 * 8 * 4);
    expect(report.memory.nodes.fc1.savedBytes).toBe(16 * 2 * 4);
    expect(report.memory.peakSavedBytes).toBeGreaterThanOrEqual(16 * 8 * 4);
    expect(report.timing.samplesPerSecond).toBeGreaterThan(0);
    expect(report.timing.samples).toBe(200 * 160);

    const safe = readSafetensors(new Uint8Array(readFileSync(st)));
    const names = Object.keys(safe.tensors).sort();
    expect(names).toEqual(Object.keys(EXPECTED_SHAPES));
    for (const [name, shape] of Object.entries(EXPECTED_SHAPES))
      expect(safe.tensors[name].shape).toEqual(shape);
    expect(safe.metadata.format).toBe(WEIGHTS_FORMAT);
    const meta = parseWeightsMetadata(safe.metadata).project as { name: string; nodes: unknown[] };
    expect(meta.name).toBe('XOR');
    expect(meta.nodes).toHaveLength(5);

    const fromJson = readWeightsJson(readFileSync(wj, 'utf8'));
    expect((fromJson.project as { name: string }).name).toBe('XOR');
    for (const name of names) {
      expect(fromJson.tensors[name].shape).toEqual(safe.tensors[name].shape);
      expect(bits(fromJson.tensors[name].data)).toEqual(bits(safe.tensors[name].data));
    }
  });

  it('warns when the loss stays put worse than guessing (lr 1e6 saturates the sigmoids), and still writes', async () => {
    const p = xorProject();
    p.training.optimizer = { type: 'sgd', lr: 1e6 };
    p.training.epochs = 20;
    const file = tmp.file('stuck.json', json(p));
    const st = join(tmp.dir, 'stuck.safetensors');
    const r = await runBin(['train', file, '--export', st]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: training is stuck: The loss has stayed at [\d.]+ for 10 epochs, worse than guessing \(0\.6931, the loss of the probability 0\.5 for every sample\).* Try a smaller learning rate \(now 1e\+6\), and train again\.\n/,
    );
    expect(readFileSync(st).length).toBeGreaterThan(0);
    p.training.optimizer = { type: 'sgd', lr: 0.5 }; // the example's: it learns, no warning
    const fine = await runBin(['train', tmp.file('fine.json', json(p))]);
    expect(fine.code).toBe(0);
    expect(fine.stderr).not.toContain('stuck');
  });

  it('warns about nodes that feed nothing, trains the rest, and saves the project with them', async () => {
    const p = xorProject();
    p.nodes.push({ id: 'stray', type: 'ReLU' }, { id: 'side', type: 'Dense', inputs: ['x'] });
    p.training.epochs = 3;
    const file = tmp.file('stray.json', json(p));
    const st = join(tmp.dir, 'stray.safetensors');
    const saved = join(tmp.dir, 'stray-saved.json');
    const r = await runBin(['train', file, '--export', st, '--save', saved]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${file}: not connected to the output 'y', so training and export leave them out: stray (takes 1 input, got 0), side`,
    );
    const shapes = Object.fromEntries(
      Object.entries(readSafetensors(readFileSync(st)).tensors).map(([k, t]) => [k, t.shape]),
    );
    expect(shapes).toEqual(EXPECTED_SHAPES);
    const kept = JSON.parse(readFileSync(saved, 'utf8'));
    expect(kept.nodes.map((n: { id: string }) => n.id)).toEqual([
      'x',
      'fc1',
      'h1',
      'fc2',
      'y',
      'stray',
      'side',
    ]);
  });

  it('gives the same bytes for the same seed, and other weights for another seed', async () => {
    const out = (n: string) => join(tmp.dir, `det-${n}.safetensors`);
    const runs = await Promise.all([
      runBin(['train', XOR, '--epochs', '30', '--quiet', '--export', out('a')]),
      runBin(['train', XOR, '--epochs', '30', '--quiet', '--export', out('b')]),
      runBin(['train', XOR, '--epochs', '30', '--quiet', '--export', out('c'), '--seed', '7']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.map((r) => r.stdout + r.stderr)).toEqual(['', '', '']);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => readFileSync(out(n)));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('splits large products between two threads (--threads 2, the default) with the same bytes as one', async () => {
    // Digits with a 1024-unit layer at batch 64: its products are large enough to be split.
    const wide = JSON.parse(readFileSync(join(EXAMPLES, 'digits.json'), 'utf8'));
    wide.nodes.find((n: { id: string }) => n.id === 'fc1').params.units = 1024;
    wide.training = { ...wide.training, batchSize: 64, epochs: 1 };
    const project = join(tmp.dir, 'wide-digits.json');
    writeFileSync(project, json(wide));
    const out = (n: string) => join(tmp.dir, `threads-${n}`);
    const run = (n: string, extra: string[]) =>
      runBin([
        'train',
        project,
        '--quiet',
        '--export',
        out(`${n}.safetensors`),
        '--report',
        out(`${n}.json`),
        ...extra,
      ]);
    const runs = [await run('one', ['--threads', '1']), await run('two', [])];
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const timing = ['one', 'two'].map(
      (n) => JSON.parse(readFileSync(out(`${n}.json`), 'utf8')).timing,
    );
    expect(timing.map((t) => t.threads)).toEqual([1, 2]);
    expect(timing[0].splitProducts).toBe(0);
    // 23 batches of 64 (1,437 training rows), each with two products of 64·1024·64 multiply-adds
    // (fc1's forward and its weight gradient); the logits' products stay under the threshold. The
    // first 32 are always offered to both threads; after them, on a machine whose cores are busy
    // with other processes, a helper that computed under 30 % of their rows gets a pause
    // (core/ops/kernels/gemm-threads.ts, minHelperShare), so fewer of the 46 may be.
    expect(timing[1].splitProducts).toBeGreaterThanOrEqual(32);
    expect(readFileSync(out('one.safetensors')).equals(readFileSync(out('two.safetensors')))).toBe(
      true,
    );
  });

  it('trains with the kernel --kernel names (fast by default), the same bytes run after run in a mode', async () => {
    const out = (n: string) => join(tmp.dir, `kernel-${n}`);
    const run = (n: string, extra: string[]) =>
      runBin([
        'train',
        XOR,
        '--epochs',
        '30',
        '--quiet',
        '--export',
        out(`${n}.safetensors`),
        '--report',
        out(`${n}.json`),
        ...extra,
      ]);
    const names = ['default', 'fast', 'portable', 'portable-again'];
    const runs = [
      await run('default', []),
      await run('fast', ['--kernel', 'fast']),
      await run('portable', ['--kernel', 'portable']),
      await run('portable-again', ['--kernel', 'portable']),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const kernels = names.map(
      (n) => JSON.parse(readFileSync(out(`${n}.json`), 'utf8')).timing.kernel,
    );
    // the command line turns relaxed SIMD on for itself (Node 20 has it behind a flag)
    // the block is the one its timing chose (outer-block.ts): either gives the same bits
    const block = expect.stringMatching(/^[46] × 8$/);
    expect(kernels).toEqual([
      { mode: 'fast', kernel: 'WebAssembly relaxed SIMD', block },
      { mode: 'fast', kernel: 'WebAssembly relaxed SIMD', block },
      { mode: 'portable', kernel: 'WebAssembly SIMD', block },
      { mode: 'portable', kernel: 'WebAssembly SIMD', block },
    ]);
    const bytes = names.map((n) => readFileSync(out(`${n}.safetensors`)));
    expect(bytes[0].equals(bytes[1])).toBe(true);
    expect(bytes[2].equals(bytes[3])).toBe(true);
  });

  it('refuses --kernel other than fast or portable', async () => {
    const r = await runBin(['train', XOR, '--kernel', 'turbo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option --kernel must be fast or portable, got 'turbo'/);
  });

  it('refuses --threads other than 1 or 2', async () => {
    for (const bad of ['0', '3', 'two']) {
      const r = await runBin(['train', XOR, '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/option --threads must be/);
    }
  });

  it('continues from --init weights: 0 more epochs give the same weights back', async () => {
    const first = join(tmp.dir, 'init-first.safetensors');
    const again = join(tmp.dir, 'init-again.json');
    const r1 = await runBin(['train', XOR, '--epochs', '40', '--quiet', '--export', first]);
    expect(r1.code).toBe(0);
    const r2 = await runBin([
      'train',
      XOR,
      '--epochs',
      '0',
      '--init',
      first,
      '--export',
      again,
      '--report',
      join(tmp.dir, 'init-report.json'),
    ]);
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    const a = readSafetensors(new Uint8Array(readFileSync(first))).tensors;
    const b = readWeightsJson(readFileSync(again, 'utf8')).tensors;
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) expect(bits(b[name].data)).toEqual(bits(a[name].data));
    // With no epochs the report's final loss is the loaded weights' loss on the training set.
    const report = JSON.parse(readFileSync(join(tmp.dir, 'init-report.json'), 'utf8'));
    expect(report.loss.history).toEqual([]);
    expect(report.loss.final).toBeGreaterThan(0);
    expect(report.accuracy.final).toBeGreaterThan(0.9);
  });

  it('refuses --init and --weights files holding NaN or Infinity, naming the file and tensor', async () => {
    const good = join(tmp.dir, 'finite.safetensors');
    expect((await runBin(['train', XOR, '--epochs', '1', '--quiet', '--export', good])).code).toBe(
      0,
    );
    const st = readSafetensors(new Uint8Array(readFileSync(good)));
    st.tensors['fc2.weight'].data[4] = Number.NaN;
    const bad = join(tmp.dir, 'nan.safetensors');
    writeFileSync(bad, writeSafetensors(st.tensors, st.metadata));
    const r = await runBin(['train', XOR, '--init', bad, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `backprop-lab: ${bad}: the weights are not all finite numbers: fc2.weight: holds NaN at [0, 4]; these weights cannot be trained or exported (they may come from a run that diverged)\n`,
    );
    const out = await runBin(['export', XOR, '--weights', bad, '--out', join(tmp.dir, 'nan.onnx')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${bad}: the weights are not all finite numbers: fc2.weight`);
  });

  it('refuses --init weights of another network, listing every mismatch', async () => {
    const weights = join(tmp.dir, 'xor-for-mismatch.safetensors');
    expect(
      (await runBin(['train', XOR, '--epochs', '1', '--quiet', '--export', weights])).code,
    ).toBe(0);
    const project = xorProject();
    project.nodes[1].params.units = 4; // fc1: [4, 2], fc2: [1, 4]
    project.nodes[3].id = 'out';
    project.nodes[4].inputs = ['out'];
    const file = tmp.file('mismatch.json', json(project));
    const r = await runBin(['train', file, '--init', weights]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `backprop-lab: ${weights}: weights do not match the network: 2 missing tensors, 2 extra tensors, 2 shape mismatches`,
    );
    expect(lines.slice(1).sort()).toEqual(
      [
        '  fc1.weight: expected shape [4, 2], file has [8, 2]',
        '  fc1.bias: expected shape [4], file has [8]',
        '  out.weight: missing from the file (expected shape [1, 4])',
        '  out.bias: missing from the file (expected shape [1])',
        '  fc2.weight: in the file but not in the network (shape [1, 8])',
        '  fc2.bias: in the file but not in the network (shape [1])',
      ].sort(),
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('prints a progress line every 10% of the epochs when stderr is not a terminal', async () => {
    const r = await runBin(['train', XOR, '--epochs', '50']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^epoch {2}5\/50 {2}loss \d\.\d{4} {2}acc [\d.]+% .* samples\/s$/);
    expect(lines[9]).toMatch(/^epoch 50\/50 /);
    expect(r.stdout).toMatch(/^XOR: 50 epochs in [\d.]+ s/);
  });

  it('loads plugins from the project (relative to it) and from --plugin', async () => {
    tmp.file('wacky.js', WACKY_PLUGIN);
    const project = xorProject();
    project.nodes.splice(3, 0, { id: 'w', type: 'Wacky', inputs: ['h1'] });
    project.nodes[4].inputs = ['w'];
    project.plugins = ['./wacky.js'];
    const withList = tmp.file('with-plugin.json', json(project));
    const out = join(tmp.dir, 'wacky.safetensors');
    const r1 = await runBin(['train', withList, '--epochs', '5', '--quiet', '--export', out], {
      cwd: EXAMPLES, // the plugin path is relative to the project, not to the working directory
    });
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    expect(readSafetensors(new Uint8Array(readFileSync(out))).tensors['w.a'].shape).toEqual([8]);

    project.plugins = [];
    tmp.file('without-plugin.json', json(project));
    const r2 = await runBin(
      ['train', 'without-plugin.json', '--epochs', '5', '--quiet', '--plugin', 'wacky.js'],
      {
        cwd: tmp.dir,
      },
    );
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
  });
});
