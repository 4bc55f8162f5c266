// The training folder's train.py, run by Debian's python3-torch, learns what the engine learns:
// after the project's epochs its weights equal `backprop-lab train --export` within 1e-4 (max
// abs), for SGD with momentum and Adam, shuffled or not, on chains and on a DAG with Add and
// Concat, with dropout (the engine's masks), a frozen layer and a detach; its history matches
// the engine's report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readSafetensors } from '../../../core/io/safetensors';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../core/graph/schema';
import { tempDir } from '../cli/run-bin';
import {
  lab,
  maxAbsDiff,
  readJson,
  readWeights,
  trainPy,
  whyNoTorch,
  writeJson,
} from './folder-runs';
import { ADAM, chain, dag, SGD_MOMENTUM } from './projects';

const noTorch = whyNoTorch();
if (noTorch) console.warn(`training-folder parity checks skipped: ${noTorch}`);
const tmp = tempDir('backprop-lab-parity-');
afterAll(() => tmp.cleanup());

interface Outcome {
  engine: string;
  torch: string;
  folder: string;
  report: any;
  history: any;
}

/** Train in the engine and in the folder, side by side. */
async function both(project: ProjectInput): Promise<Outcome> {
  const stem = join(tmp.dir, project.name!);
  const file = writeJson(`${stem}.json`, project);
  const folder = `${stem}-pytorch/`;
  const engine = `${stem}-engine.safetensors`;
  const torch = `${stem}-torch.safetensors`;
  await Promise.all([
    lab(['train', file, '--export', engine, '--report', `${stem}-report.json`, '--quiet']),
    lab(['export', file, '--out', folder, '--quiet']),
  ]);
  await trainPy(folder, ['--out', torch]);
  return {
    engine,
    torch,
    folder,
    report: readJson(`${stem}-report.json`),
    history: readJson(`${stem}-torch.history.json`),
  };
}

/** Per-epoch values agree to `tol`, relative to their size. */
function expectClose(got: (number | null)[], want: (number | null)[], tol: number): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    if (want[i] === null) return void expect(g, `epoch ${i + 1}`).toBeNull();
    expect(Math.abs(g! - want[i]!), `epoch ${i + 1}: ${g} vs ${want[i]}`).toBeLessThan(
      tol * Math.max(1, Math.abs(want[i]!)),
    );
  });
}

function expectSameRun(r: Outcome, epochs: number): void {
  const diff = maxAbsDiff(readWeights(r.torch), readWeights(r.engine));
  expect(diff).toBeLessThan(1e-4);
  expect(r.history.epochs).toBe(epochs);
  expectClose(r.history.loss.history, r.report.loss.history, 1e-4);
  expectClose(r.history.loss.testHistory, r.report.loss.testHistory, 1e-4);
  // Accuracy counts whole samples: a prediction on the edge could flip, none does here.
  expect(r.history.accuracy.train).toEqual(r.report.accuracy.train);
  expect(r.history.accuracy.test).toEqual(r.report.accuracy.test);
}

describe.skipIf(noTorch !== undefined)('a training folder trains as the engine does', () => {
  it('chain, SGD with momentum, shuffled (a short last batch every epoch)', async () => {
    const r = await both(chain('chain-sgd', { optimizer: SGD_MOMENTUM, shuffle: true }));
    expectSameRun(r, 15);
    // The folder holds only what it lists, and no temporary files are left behind.
    expect(readdirSync(r.folder).sort()).toEqual(
      [
        'README.md',
        'data.safetensors',
        'initial.safetensors',
        'lab_rng.py',
        'model.py',
        'project.json',
        'train.py',
        'training.json',
      ].sort(),
    );
  });

  it('chain, Adam, in order (no shuffle), BCEWithLogits', async () => {
    expectSameRun(
      await both(chain('chain-adam', { optimizer: ADAM, shuffle: false, logits: true })),
      15,
    );
  });

  it('DAG with Add and Concat, SGD with momentum', async () => {
    expectSameRun(await both(dag('dag-sgd', { optimizer: SGD_MOMENTUM })), 12);
  });

  it('DAG with Add and Concat, Adam, dropout with the engine’s masks, a frozen Dense and a detach', async () => {
    const r = await both(
      dag('dag-adam-dropout', { optimizer: ADAM, dropout: 0.3, frozen: true, detach: true }),
    );
    expectSameRun(r, 12);
    const initial = readWeights(join(r.folder, 'initial.safetensors'));
    const trained = readWeights(r.torch);
    // Frozen mid stays, and so does b1: the detach on b2 stops its gradient. Gradients pass
    // through the frozen mid and the dropout into a1.
    for (const name of ['mid.weight', 'mid.bias', 'b1.weight', 'b1.bias']) {
      expect(Array.from(trained[name].data), name).toEqual(Array.from(initial[name].data));
    }
    for (const name of ['a1.weight', 'logits.weight']) {
      expect(maxAbsDiff({ w: trained[name] }, { w: initial[name] }), name).toBeGreaterThan(1e-3);
    }
  });

  it('data.normalize: the raw split goes in the folder, model.py normalizes with the training split’s statistics (standardize on a DAG, minmax on a chain)', async () => {
    const std = await both(dag('dag-standardize', { optimizer: ADAM, normalize: 'standardize' }));
    expectSameRun(std, 12);
    const config = readJson(join(std.folder, 'training.json'));
    expect(config.normalization.kind).toBe('standardize');
    expect(config.normalization.offset).toHaveLength(4);
    expect(readFileSync(join(std.folder, 'model.py'), 'utf8')).toContain(
      'x = (x - self.input_offset) / self.input_scale',
    );
    // Raw features: iris's petal lengths, not their standard scores.
    const x = readSafetensors(new Uint8Array(readFileSync(join(std.folder, 'data.safetensors'))))
      .tensors['train.x'].data;
    expect(Math.max(...x)).toBeGreaterThan(6);
    // The trained weights carry the statistics, as the engine's own export does.
    const meta = (f: string) => readSafetensors(new Uint8Array(readFileSync(f))).metadata;
    expect(JSON.parse(meta(std.torch).normalization)).toEqual(
      JSON.parse(meta(std.engine).normalization),
    );
    expectSameRun(
      await both(
        chain('chain-minmax', { optimizer: SGD_MOMENTUM, shuffle: true, normalize: 'minmax' }),
      ),
      15,
    );
  });

  it('--epochs overrides the project’s; the weights carry the project in their metadata', async () => {
    const project = chain('chain-epochs', { optimizer: SGD_MOMENTUM, shuffle: true, epochs: 3 });
    const file = writeJson(join(tmp.dir, 'chain-epochs.json'), project);
    const folder = join(tmp.dir, 'chain-epochs-pytorch/');
    await lab(['export', file, '--out', folder, '--quiet']);
    const out = join(tmp.dir, 'nested', 'two.safetensors');
    await trainPy(folder, ['--epochs', '2', '--out', out, '--history', join(tmp.dir, 'two.json')]);
    expect(readJson(join(tmp.dir, 'two.json')).loss.history).toHaveLength(2);
    expect(existsSync(out)).toBe(true);
    // The engine reads the weights back as its own (names, shapes and the project).
    const engine = join(tmp.dir, 'chain-epochs-2.safetensors');
    await lab(['train', file, '--epochs', '2', '--export', engine, '--quiet']);
    expect(maxAbsDiff(readWeights(out), readWeights(engine))).toBeLessThan(1e-4);
    await lab(['export', file, '--weights', out, '--out', join(tmp.dir, 'back.onnx'), '--quiet']);
  });
});
