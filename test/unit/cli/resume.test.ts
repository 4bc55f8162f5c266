// train --save writes a trained project; train --resume continues it to the weights an
// uninterrupted run gives, bit for bit; info and export use its weights without --weights.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../core/io/safetensors';
import { json, xorProject } from './fixtures';
import { hasStackTrace, runBin, tempDir } from './run-bin';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** XOR with dropout, trained with the given optimizer for 12 epochs (ten batches each). */
function project(optimizer: Record<string, unknown>): string {
  const p = xorProject();
  p.nodes.splice(3, 0, { id: 'drop', type: 'Dropout', params: { p: 0.2 }, inputs: ['h1'] });
  p.nodes[4].inputs = ['drop'];
  p.training = { ...p.training, optimizer, epochs: 12 };
  return tmp.file(`xor-${optimizer.type}.json`, json(p));
}

function tensorBits(file: string): Record<string, number[]> {
  const { tensors } = readSafetensors(new Uint8Array(readFileSync(file)));
  return Object.fromEntries(
    Object.entries(tensors).map(([k, t]) => [k, Array.from(new Uint32Array(t.data.buffer))]),
  );
}

const out = (name: string) => join(tmp.dir, name);

describe('train --save and --resume', () => {
  for (const optimizer of [
    { type: 'sgd', lr: 0.3, momentum: 0.9 },
    { type: 'adam', lr: 0.02 },
  ]) {
    it(`${optimizer.type}: 5 epochs, saved, resumed to 9, resumed to 12: the uninterrupted run’s weights`, async () => {
      const p = project(optimizer);
      const t = optimizer.type;
      const whole = await runBin([
        'train', p, '--quiet', '--export', out(`${t}-whole.safetensors`),
        '--report', out(`${t}-whole.report.json`),
      ]); // prettier-ignore
      expect(whole.code).toBe(0);

      const first = await runBin(['train', p, '--epochs', '5', '--save', out(`${t}-a.json`)]);
      expect(first.stderr).not.toMatch(/backprop-lab:/);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`wrote ${out(`${t}-a.json`)}`);
      const saved = JSON.parse(readFileSync(out(`${t}-a.json`), 'utf8'));
      expect(saved.version).toBe(2);
      expect(saved.trained).toMatchObject({ epoch: 5, batch: 0, optimizer: { type: t } });
      // The project's own epochs are kept: --resume goes on to them.
      expect(saved.training.epochs).toBe(12);

      const second = await runBin([
        'train', out(`${t}-a.json`), '--resume', '--epochs', '9', '--save', out(`${t}-b.json`),
      ]); // prettier-ignore
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/resumed after epoch 5, 9 epochs in all/);
      // Resumed in place: the file is replaced (atomically) by its continuation.
      const third = await runBin([
        'train', out(`${t}-b.json`), '--resume', '--save', out(`${t}-b.json`),
        '--export', out(`${t}-resumed.safetensors`), '--report', out(`${t}-resumed.report.json`),
      ]); // prettier-ignore
      expect(third.code).toBe(0);
      expect(tensorBits(out(`${t}-resumed.safetensors`))).toEqual(
        tensorBits(out(`${t}-whole.safetensors`)),
      );
      const report = (f: string) => JSON.parse(readFileSync(out(f), 'utf8'));
      const a = report(`${t}-whole.report.json`);
      const b = report(`${t}-resumed.report.json`);
      expect(b.loss.history).toEqual(a.loss.history);
      expect(b.accuracy.test).toEqual(a.accuracy.test);
      expect(JSON.parse(readFileSync(out(`${t}-b.json`), 'utf8')).trained.epoch).toBe(12);

      // export and info use the saved weights without --weights.
      const exported = await runBin([
        'export',
        out(`${t}-b.json`),
        '--out',
        out(`${t}-exported.safetensors`),
      ]);
      expect(exported.code).toBe(0);
      expect(exported.stderr).not.toMatch(/initial weights/);
      expect(tensorBits(out(`${t}-exported.safetensors`))).toEqual(
        tensorBits(out(`${t}-whole.safetensors`)),
      );
      const info = await runBin(['info', out(`${t}-b.json`)]);
      expect(info.code).toBe(0);
      expect(info.stdout).toMatch(
        new RegExp(`^trained: epoch 12 of 12; ${t}, 120 steps; last epoch's loss \\d`, 'm'),
      );
    });
  }

  it('a trained project trained again without --resume starts over, and says so', async () => {
    const p = project({ type: 'sgd', lr: 0.3, momentum: 0.9 });
    await runBin(['train', p, '--epochs', '3', '--quiet', '--save', out('again.json')]);
    const r = await runBin(['train', out('again.json'), '--epochs', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('holds training to epoch 3: this run starts from the beginning');
    expect(r.stdout).toMatch(/^XOR: 2 epochs in/);
  });

  it('--resume to no more epochs than are trained says there is nothing to train', async () => {
    const p = project({ type: 'sgd', lr: 0.3, momentum: 0.9 });
    await runBin(['train', p, '--epochs', '4', '--quiet', '--save', out('done.json')]);
    const r = await runBin(['train', out('done.json'), '--resume', '--epochs', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `note: ${out('done.json')} is already trained to epoch 4: nothing to train (continue with --epochs N, N > 4)\n`,
    );
    const more = await runBin(['train', out('done.json'), '--resume', '--epochs', '5']);
    expect(more.stderr).not.toContain('nothing to train');
    expect(more.stdout).toMatch(/resumed after epoch 4, 5 epochs in all/);
  });
});

describe('bad input around saved training: one line, exit 2', () => {
  async function savedCopy(edit: (v: any) => void): Promise<string> {
    const p = project({ type: 'adam', lr: 0.02 });
    const f = out(`edit-${Math.random().toString(36).slice(2)}.json`);
    await runBin(['train', p, '--epochs', '2', '--quiet', '--save', f]);
    const v = JSON.parse(readFileSync(f, 'utf8'));
    edit(v);
    writeFileSync(f, json(v));
    return f;
  }

  it('--resume on a project without training', async () => {
    const p = project({ type: 'sgd', lr: 0.1 });
    const r = await runBin(['train', p, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `backprop-lab: ${p}: there is no saved training to resume (write one with 'backprop-lab train ${p} --save TRAINED.json')\n`,
    );
  });

  it('a broken section names the file and the field; info warns, export and --resume stop', async () => {
    const f = await savedCopy((v) => (v.trained.weights['fc1.weight'].data = 'AAAAAA=='));
    const want = `${f}: trained.weights.fc1.weight.data: holds 1 float32 value, but the shape [8, 2] has 16`;
    const r = await runBin(['train', f, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`backprop-lab: ${want}\n`);
    expect(hasStackTrace(r.stderr)).toBe(false);
    const e = await runBin(['export', f, '--out', out('broken.onnx')]);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(`backprop-lab: ${want}\n`);
    const i = await runBin(['info', f]);
    expect(i.code).toBe(0);
    expect(i.stdout).toContain(`warning: the saved training is not used: ${want}`);
  });

  it('a project changed since it was saved: every mismatch listed', async () => {
    const f = await savedCopy((v) => {
      v.nodes[1].params.units = 4;
      v.training.optimizer = { type: 'sgd', lr: 0.1 };
    });
    const r = await runBin(['train', f, '--resume']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^backprop-lab: ${f}: the saved training does not fit the project \\(\\d+ problems\\), first trained\\.weights\\.fc1\\.weight: expected shape \\[4, 2\\], file has \\[8, 2\\]$`,
      ),
    );
    expect(lines).toContain(
      "  trained.optimizer.type: the network was trained with adam, but the project's optimizer is sgd: the saved optimizer state cannot continue (set the optimizer back, or start over)",
    );
  });

  it('options that do not go with --resume, and --save needs a .json name', async () => {
    const f = await savedCopy(() => {});
    for (const [args, msg] of [
      [['--init', 'w.safetensors'], '--init and --resume do not go together'],
      [['--seed', '3'], '--seed and --resume do not go together'],
    ] as const) {
      const r = await runBin(['train', f, '--resume', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(msg);
    }
    const r = await runBin(['train', f, '--save', out('x.safetensors')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--save writes a project file: give it a .json name');
  });
});
