import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real command, as npm installs it. */
export const BIN = fileURLToPath(new URL('../../../bin/backprop-lab.mjs', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `backprop-lab ...args` in a child process (stdin closed, not a terminal). */
export function runBin(
  args: string[],
  opts: {
    cwd?: string;
    bin?: string;
    /** Run under `ulimit -f` (KiB): a write past it fails as on a full disk. */
    fileLimitKb?: number;
    /** Run as this user (the test runs as root, for whom permissions do not apply). */
    uid?: number;
  } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    let command = opts.bin ?? process.execPath;
    let argv = opts.bin ? args : [BIN, ...args];
    if (opts.fileLimitKb !== undefined) {
      argv = ['-c', `ulimit -f ${opts.fileLimitKb} && exec "$0" "$@"`, command, ...argv];
      command = 'bash';
    }
    const ids = opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid };
    const child = spawn(command, argv, {
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...ids,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh temporary folder and a way to write files into it. */
export function tempDir(prefix = 'backprop-lab-cli-'): {
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

/** No stack trace lines ("    at f (file:1:2)") in an error message. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}
