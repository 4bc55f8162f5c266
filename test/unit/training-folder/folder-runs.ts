/** Making PyTorch training folders and running their train.py with Debian's python3-torch. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readSafetensors } from '../../../core/io/safetensors';
import type { NamedTensors } from '../../../core/io/named-tensors';
import { runBin, type BinResult } from '../cli/run-bin';
import { PYTHON } from '../export/python-torch';

export { PYTHON, whyNoTorch } from '../export/python-torch';

/** Run a program to its end, collecting its output. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // One thread per process: the machine is shared, and two processes each using every core
      // only slow each other down.
      env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `python3 DIR/train.py …args`, checked to succeed. */
export async function trainPy(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<BinResult> {
  const r = await run(PYTHON, [join(dir, 'train.py'), '--quiet', ...args], env);
  if (r.code !== 0) throw new Error(`train.py failed (${r.code}):\n${r.stderr}`);
  return r;
}

/** `backprop-lab …args`, checked to succeed. */
export async function lab(args: string[]): Promise<BinResult> {
  const r = await runBin(args);
  if (r.code !== 0)
    throw new Error(`backprop-lab ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r;
}

/** Train `world` processes of train.py as torchrun would start them (its environment variables). */
export async function trainPyDistributed(
  dir: string,
  world: number,
  args: string[],
): Promise<BinResult[]> {
  const port = await freePort();
  return Promise.all(
    Array.from({ length: world }, (_, rank) =>
      trainPy(dir, args, {
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: String(port),
        WORLD_SIZE: String(world),
        RANK: String(rank),
        LOCAL_RANK: String(rank),
      }),
    ),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function readWeights(file: string): NamedTensors {
  return readSafetensors(new Uint8Array(readFileSync(file))).tensors;
}

/** The largest absolute difference over every weight; both must have the same names. */
export function maxAbsDiff(a: NamedTensors, b: NamedTensors): number {
  const names = Object.keys(a).sort();
  if (names.join() !== Object.keys(b).sort().join()) {
    throw new Error(`different weights: ${names.join()} vs ${Object.keys(b).sort().join()}`);
  }
  let m = 0;
  for (const k of names) {
    const x = a[k].data,
      y = b[k].data;
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  }
  return m;
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
