// `npm start`: the desktop app where Electron's binary is (or can be downloaded), otherwise the
// same app served for the browser at a printed address, with the isolation headers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type StartDeps, failureReason, start } from '../../../scripts/start';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function deps(ok: boolean): StartDeps & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    ensure: () => ({ ok, message: ok ? '' : 'long message', reason: 'TypeError: fetch failed' }),
    desktop: vi.fn(async () => 0),
    web: vi.fn(async () => 'http://127.0.0.1:4999/'),
    log: (l) => lines.push(l),
  };
}

describe('npm start', () => {
  it('runs the desktop app when Electron is there, and returns its exit code', async () => {
    const d = deps(true);
    expect(await start(d)).toBe(0);
    expect(d.desktop).toHaveBeenCalled();
    expect(d.web).not.toHaveBeenCalled();
    expect(d.lines).toEqual([]);
  });

  it('serves the web app instead when Electron cannot be had, saying why in one line', async () => {
    const d = deps(false);
    expect(await start(d)).toBeNull();
    expect(d.desktop).not.toHaveBeenCalled();
    expect(d.lines[0]).toBe(
      "Electron's binary is not installed and could not be downloaded (TypeError: fetch failed): serving the same app for the browser instead…",
    );
    expect(d.lines[1]).toContain('Backprop Lab is at http://127.0.0.1:4999/');
  });

  it('takes the reason from the last line the download printed, without stack frames', () => {
    expect(failureReason('Downloading…\nTypeError: fetch failed\n    at x (y.js:1:2)\n')).toBe(
      'TypeError: fetch failed',
    );
    expect(failureReason('')).toBe('no reason given');
  });
});

describe('npm start on a machine without the Electron binary and without a network', () => {
  let child: ChildProcess | null = null;
  let empty = '';
  afterEach(async () => {
    child?.kill();
    child = null;
    if (empty) await rm(empty, { recursive: true, force: true });
  });

  it('serves the app, cross-origin isolated, at the address it prints', async () => {
    empty = await mkdtemp(join(tmpdir(), 'lab-no-electron-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: {
        ...process.env,
        // No binary here, and a download that fails at once (nothing listens on port 9).
        ELECTRON_OVERRIDE_DIST_PATH: empty,
        ELECTRON_EXEC_PATH: '',
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: empty,
        BACKPROP_LAB_PORT: '4291',
      },
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /Backprop Lab is at (\S+)/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 200);
      child!.on('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`npm start ended (${code}) before serving:\n${out}`));
      });
    });
    expect(out).toContain('could not be downloaded');
    expect(out).not.toMatch(/^\s+at /m);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await page.text()).toContain('<div id="app"');
  }, 180_000);
});
