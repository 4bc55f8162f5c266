import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../../node/atomic-write';
import os from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { WeightMap } from '../../core/model/model';
import type { RemoteStepper } from '../measure';
import type { Workload, WorkloadData } from '../workloads';

// PyTorch as an engine of the benchmark: Debian's python3-torch, run by /usr/bin/python3, in a
// process of its own per thread count (torch_engine.py), told to warm up and to time windows;
// it trains the same network from the same weights on the same batches as ours.

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_engine.py', import.meta.url));

/** Whether PyTorch can run here, and why not. */
export function torchAvailable(): { ok: true } | { ok: false; reason: string } {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} is missing` };
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.status !== 0)
    return {
      ok: false,
      reason: `python3-torch is not installed (${r.stderr.trim().split('\n').pop()})`,
    };
  return { ok: true };
}

/** What the PyTorch process said about itself. */
export interface TorchInfo {
  torch: string;
  threads: number;
  /** The BLAS libraries the process loaded (real paths). */
  blas: string[];
}

/** The OPENBLAS_* variables of the environment, which the PyTorch processes inherit. */
export function openblasEnvironment(): string[] {
  return Object.entries(process.env)
    .filter(([k]) => k.startsWith('OPENBLAS_'))
    .map(([k, v]) => `${k}=${v}`);
}

function writeWorkload(dir: string, w: Workload, data: WorkloadData, weights: WeightMap): void {
  const ds = data.dataset;
  writeFileAtomic(
    path.join(dir, 'meta.json'),
    JSON.stringify({
      widths: w.widths,
      activation: w.activation,
      activateOutput: w.activateOutput,
      loss: w.loss,
      lr: w.lr,
      batchSize: w.batchSize,
      batches: w.batches,
      n: ds.n,
    }),
  );
  const raw = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  writeFileAtomic(path.join(dir, 'x.f32'), raw(ds.x));
  writeFileAtomic(path.join(dir, 'y.f32'), raw(ds.y)); // class labels (as floats) or targets
  for (const [name, t] of Object.entries(weights))
    writeFileAtomic(path.join(dir, `${name}.f32`), raw(t.data as Float32Array));
}

class Lines {
  private waiting: ((line: string) => void)[] = [];
  private queued: string[] = [];
  private ended: string | null = null;
  constructor(rl: Interface, exited: Promise<string>) {
    rl.on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.queued.push(line);
    });
    void exited.then((why) => {
      this.ended = why;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ error: why }));
    });
  }
  next(): Promise<string> {
    const q = this.queued.shift();
    if (q !== undefined) return Promise.resolve(q);
    if (this.ended) return Promise.resolve(JSON.stringify({ error: this.ended }));
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** A PyTorch process training the workload on `threads` threads. */
export async function torchStepper(
  w: Workload,
  data: WorkloadData,
  weights: WeightMap,
  threads: number,
): Promise<RemoteStepper & { info: TorchInfo }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-torch-'));
  writeWorkload(dir, w, data, weights);
  const env = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
  };
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [SCRIPT, dir, String(threads)], {
    env,
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code) => resolve(`PyTorch exited (code ${code}): ${stderr.trim()}`)),
  );
  const lines = new Lines(createInterface({ input: child.stdout }), exited);
  const ask = async <T>(command: string | null): Promise<T> => {
    if (command !== null) child.stdin.write(`${command}\n`);
    const answer = JSON.parse(await lines.next()) as T & { error?: string };
    if (answer.error) throw new Error(answer.error);
    return answer;
  };
  const info = await ask<TorchInfo>(null);
  return {
    info,
    warmup: (steps) => ask(`warmup ${steps}`),
    window: (minSteps, minSeconds, fixedSteps) =>
      ask(fixedSteps !== undefined ? `steps ${fixedSteps}` : `window ${minSteps} ${minSeconds}`),
    dispose: () => {
      child.stdin.end('quit\n');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
