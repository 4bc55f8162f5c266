/** Running exported .py files with Debian's python3-torch, where it is installed. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('./run_exported_py.py', import.meta.url));

/** Why the PyTorch checks cannot run here, or undefined when they can. */
export function whyNoTorch(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `${PYTHON} cannot import torch and numpy (install python3-torch): ${probe.stderr.trim().split('\n').at(-1)}`;
  }
  return undefined;
}

export interface PythonRun {
  training: boolean;
  stateDict: Record<string, number[]>;
  weightNames: Record<string, string>;
  inputShape: number[];
  outputShape: number[];
  shape?: number[];
  values?: number[];
  notImplemented?: string;
  loadedWeights?: Record<string, number[]>;
}

/** A temporary folder for one test file's exports. */
export function scratch(prefix = 'backprop-lab-export-'): {
  dir: string;
  file(name: string, content: string | Uint8Array): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Imports the module, load()s the weights and runs the input through it. */
export function runExportedPython(
  modulePath: string,
  weightsPath: string,
  input: { data: Float32Array; dims: number[] },
  dir: string,
): PythonRun {
  const inputPath = join(dir, `input-${Math.random().toString(36).slice(2)}.f32`);
  writeFileSync(
    inputPath,
    new Uint8Array(input.data.buffer, input.data.byteOffset, input.data.byteLength),
  );
  const run = spawnSync(
    PYTHON,
    [DRIVER, modulePath, weightsPath, inputPath, JSON.stringify(input.dims)],
    {
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`python failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as PythonRun;
}
