import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  electronBinaryPath,
  ensureElectron,
  installScript,
} from '../../../../electron/main/ensure-electron';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-electron-pkg-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ version: '45.5.0' }));
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function install(into: string): number {
  mkdirSync(join(into, 'dist'), { recursive: true });
  writeFileSync(join(into, 'dist', 'electron'), '');
  writeFileSync(join(into, 'path.txt'), 'electron');
  return 0;
}

describe('the Electron binary', () => {
  it('is missing until path.txt names an executable that exists in dist/', async () => {
    expect(electronBinaryPath(dir, {})).toBeNull();
    await writeFile(join(dir, 'path.txt'), 'electron');
    expect(electronBinaryPath(dir, {})).toBeNull();
    install(dir);
    expect(electronBinaryPath(dir, {})).toBe(join(dir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH and ELECTRON_EXEC_PATH', async () => {
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, 'electron'), '');
    await writeFile(join(dir, 'path.txt'), 'electron');
    expect(electronBinaryPath(dir, { ELECTRON_OVERRIDE_DIST_PATH: other })).toBe(
      join(other, 'electron'),
    );
    expect(electronBinaryPath(dir, { ELECTRON_EXEC_PATH: join(other, 'electron') })).toBe(
      join(other, 'electron'),
    );
    expect(electronBinaryPath(dir, { ELECTRON_EXEC_PATH: join(other, 'none') })).toBeNull();
  });
});

describe('ensureElectron (run by npm start)', () => {
  it('does nothing when the binary is there', () => {
    install(dir);
    const run = vi.fn(() => 0);
    expect(ensureElectron(dir, run)).toEqual({ ok: true, message: '' });
    expect(run).not.toHaveBeenCalled();
  });

  it('downloads it on first start', () => {
    const run = vi.fn(install);
    expect(ensureElectron(dir, run)).toEqual({
      ok: true,
      message: 'Electron 45.5.0 is installed.',
    });
    expect(run).toHaveBeenCalledWith(dir);
  });

  it('explains a failed download in a few lines, without a stack trace', () => {
    const result = ensureElectron(dir, () => 1);
    expect(result.ok).toBe(false);
    expect(result.message).toContain(
      'Cannot start Backprop Lab: the Electron 45.5.0 binary is not installed, and downloading it failed',
    );
    expect(result.message).toContain('run `npm start` again');
    expect(result.message).not.toMatch(/^\s+at /m);
  });
});

describe("the wrapper around electron's install.js", () => {
  it('runs install.js and cuts the stack trace it prints on failure to its first line', async () => {
    await writeFile(
      join(dir, 'install.js'),
      "console.error(new TypeError('fetch failed').stack);\nprocess.exit(1);\n",
    );
    const r = spawnSync(process.execPath, ['-e', installScript(dir)], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('TypeError: fetch failed\n');
  });

  it('passes success through', async () => {
    await writeFile(join(dir, 'install.js'), "console.log('ok');\n");
    const r = spawnSync(process.execPath, ['-e', installScript(dir)], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ok\n');
  });
});
