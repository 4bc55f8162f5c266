/**
 * Cross-checks the safetensors reader and writer against an independent implementation in
 * Python (struct + json + numpy, and the `safetensors` package when installed): see
 * check_safetensors.py. Skipped, with the reason printed, where Python or numpy is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  makeWeightsMetadata,
  readSafetensors,
  writeSafetensors,
  type NamedTensors,
} from '../../../core/io';
import { Rng } from '../../../core/util/rng';
import { bitsOf } from './raw-safetensors';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./check_safetensors.py', import.meta.url));

function whyPythonIsMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} cannot import numpy: ${probe.stderr.trim()}`;
  return undefined;
}

const skipReason = whyPythonIsMissing();
if (skipReason) {
  console.warn(`safetensors Python cross-check skipped: ${skipReason}`);
}

interface PythonTensors {
  metadata: Record<string, string>;
  tensors: Record<string, { shape: number[]; bits: number[] }>;
  checkedWith?: string[];
}

function runPython(mode: 'verify' | 'write', file: string): PythonTensors {
  const run = spawnSync(PYTHON, [SCRIPT, mode, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`check_safetensors.py ${mode} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as PythonTensors;
}

describe('safetensors cross-check with Python', () => {
  const dir = skipReason ? '' : mkdtempSync(join(tmpdir(), 'backprop-lab-io-'));
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skipReason !== undefined)('Python reads what Backprop Lab writes, bit for bit', () => {
    const rng = new Rng(5);
    const tensors: NamedTensors = {
      'fc1.weight': { shape: [8, 2], data: new Float32Array(16).map(() => rng.normal()) },
      'fc1.bias': { shape: [8], data: new Float32Array(8).map(() => rng.normal()) },
      'w1.a': { shape: [], data: new Float32Array([1.5]) },
      'dead.weight': { shape: [0, 3], data: new Float32Array(0) },
      'odd.values': { shape: [3], data: new Float32Array([-0, 1e-45, 3.4028234663852886e38]) },
    };
    const metadata = makeWeightsMetadata({ name: 'Δ-net', nodes: [{ id: 'fc1' }] });
    const file = join(dir, 'lab.safetensors');
    writeFileSync(file, writeSafetensors(tensors, metadata));

    const seen = runPython('verify', file);
    console.info(`safetensors checked with: ${seen.checkedWith?.join(', ')}`);
    expect(seen.metadata).toEqual(metadata);
    expect(Object.keys(seen.tensors)).toEqual(Object.keys(tensors).sort());
    for (const [name, { shape, data }] of Object.entries(tensors)) {
      expect(seen.tensors[name].shape, name).toEqual(shape);
      expect(seen.tensors[name].bits, name).toEqual(bitsOf(data));
    }
  });

  it.skipIf(skipReason !== undefined)(
    'Backprop Lab reads what Python writes (F32, F64, F16, BF16)',
    () => {
      const file = join(dir, 'python.safetensors');
      const expected = runPython('write', file);
      const { tensors, metadata } = readSafetensors(new Uint8Array(readFileSync(file)));
      expect(metadata).toEqual(expected.metadata);
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
      for (const [name, { shape, bits }] of Object.entries(expected.tensors)) {
        expect(tensors[name].shape, name).toEqual(shape);
        expect(bitsOf(tensors[name].data), name).toEqual(bits);
      }
    },
  );

  it.skipIf(skipReason !== undefined)('Python rejects a file whose header is not padded', () => {
    // The checker is strict about layout; make sure it would notice a broken file.
    const good = writeSafetensors({ x: { shape: [1], data: new Float32Array([1]) } }, {});
    const header = new TextDecoder().decode(good.subarray(8, 8 + good[0])).trimEnd();
    const unpadded = new Uint8Array(8 + header.length + 4);
    new DataView(unpadded.buffer).setUint32(0, header.length, true);
    unpadded.set(new TextEncoder().encode(header), 8);
    unpadded.set(good.subarray(good.length - 4), 8 + header.length);
    const file = join(dir, 'unpadded.safetensors');
    writeFileSync(file, unpadded);
    expect(() => runPython('verify', file)).toThrow(/not a multiple of 8/);
  });
});
