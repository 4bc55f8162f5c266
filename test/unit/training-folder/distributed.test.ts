// train.py data-parallel: processes started with the variables torchrun sets (Debian's torchrun
// of PyTorch 1.13 does not start on Python 3.11+), DistributedDataParallel over gloo, each global
// batch split across the processes. Two processes give the weights of one within 1e-5, also when
// a batch does not split evenly and when a process gets no rows of the last batch.
import { readdirSync } from 'node:fs';
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
  trainPyDistributed,
  whyNoTorch,
  writeJson,
} from './folder-runs';
import { ADAM, dag } from './projects';

const noTorch = whyNoTorch();
if (noTorch) console.warn(`data-parallel training checks skipped: ${noTorch}`);
const tmp = tempDir('backprop-lab-ddp-');
afterAll(() => tmp.cleanup());

async function oneAndTwo(project: ProjectInput) {
  const stem = join(tmp.dir, project.name!);
  const file = writeJson(`${stem}.json`, project);
  const folder = `${stem}-pytorch/`;
  await lab(['export', file, '--out', folder, '--quiet']);
  const outDir = `${stem}-out`;
  const one = join(outDir, 'one.safetensors');
  const two = join(outDir, 'two.safetensors');
  const engine = join(outDir, 'engine.safetensors');
  await Promise.all([
    trainPy(folder, ['--out', one]),
    trainPyDistributed(folder, 2, ['--out', two]),
    lab(['train', file, '--export', engine, '--quiet']),
  ]);
  return {
    outDir,
    one: readWeights(one),
    two: readWeights(two),
    engine: readWeights(engine),
    historyOne: readJson(join(outDir, 'one.history.json')),
    historyTwo: readJson(join(outDir, 'two.history.json')),
  };
}

describe.skipIf(noTorch !== undefined)(
  'train.py on two processes (DistributedDataParallel, gloo)',
  () => {
    it('batches of 7 split 3 + 4, with dropout and Adam: the weights of one process', async () => {
      // Iris: 105 training samples, 15 batches of 7.
      const r = await oneAndTwo(
        dag('ddp-odd', { optimizer: ADAM, dropout: 0.25, batchSize: 7, epochs: 6 }),
      );
      expect(maxAbsDiff(r.two, r.one)).toBeLessThan(1e-5);
      expect(maxAbsDiff(r.two, r.engine)).toBeLessThan(1e-4);
      expect(r.historyTwo.processes).toBe(2);
      expect(r.historyOne.processes).toBe(1);
      r.historyTwo.loss.history.forEach((l: number, i: number) =>
        expect(Math.abs(l - r.historyOne.loss.history[i])).toBeLessThan(1e-5),
      );
      expect(r.historyTwo.accuracy.train).toEqual(r.historyOne.accuracy.train);
      // Only the process of rank 0 writes.
      expect(readdirSync(r.outDir).sort()).toEqual([
        'engine.safetensors',
        'one.history.json',
        'one.safetensors',
        'two.history.json',
        'two.safetensors',
      ]);
    });

    it('every weight frozen: nothing to learn, on one process or two, and the weights stay', async () => {
      const frozen = dag('ddp-frozen', { optimizer: ADAM, epochs: 2 });
      frozen.nodes = frozen.nodes.map((n) => (n.type === 'Dense' ? { ...n, frozen: true } : n));
      const r = await oneAndTwo(frozen);
      expect(maxAbsDiff(r.one, r.engine)).toBe(0);
      expect(maxAbsDiff(r.two, r.engine)).toBe(0);
      expect(r.historyTwo.loss.history).toHaveLength(2);
    });

    it('a last batch of one sample (one process gets no rows), SGD with momentum', async () => {
      // 105 training samples in batches of 8: the 14th batch holds one sample. (At lr 0.1 this
      // net amplifies float rounding about tenfold an epoch: 3e-8 after one epoch, 3e-5 after
      // six, between one process and two as between the engine and PyTorch.)
      const r = await oneAndTwo(
        dag('ddp-last-one', {
          optimizer: { type: 'sgd', lr: 0.03, momentum: 0.9 },
          batchSize: 8,
          epochs: 6,
        }),
      );
      expect(maxAbsDiff(r.two, r.one)).toBeLessThan(1e-5);
      expect(maxAbsDiff(r.two, r.engine)).toBeLessThan(1e-4);
      r.historyTwo.loss.history.forEach((l: number, i: number) =>
        expect(Math.abs(l - r.historyOne.loss.history[i])).toBeLessThan(1e-5),
      );
    });
  },
);
