// Starts the built desktop app in a real Electron, where an Electron binary is installed (it is
// downloaded on first `npm start`; build machines without network have none, and the test says
// so). The main process and preload are unit-tested with a mocked `electron` in test/unit/electron.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bridgeName, INVOKE_CHANNELS } from '../../electron/ipc/channels';
import { electronBinaryPath } from '../../electron/main/ensure-electron';

const repo = join(import.meta.dirname, '..', '..');
const binary = electronBinaryPath();

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const needsX = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !binary
  ? 'Electron binary not installed (node_modules/electron/dist missing): skipping the Electron smoke test'
  : needsX && !hasCommand('Xvfb')
    ? 'No display and no Xvfb (install xvfb, or set DISPLAY): skipping the Electron smoke test'
    : null;
if (skipReason) console.warn(skipReason);

/** A virtual X display, for machines without one; its number is written to fd 3. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { display, process: xvfb };
}

let xvfb: ChildProcess | null = null;
let userData: string | null = null;
afterAll(async () => {
  if (xvfb?.pid) process.kill(xvfb.pid);
  if (userData) await rm(userData, { recursive: true, force: true });
});

describe('the desktop app in Electron', () => {
  it.skipIf(skipReason !== null)(
    skipReason ?? 'starts with the app page, window.lab and no Node, and quits',
    async () => {
      const build = spawnSync(
        process.execPath,
        [join(repo, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
        { cwd: repo, encoding: 'utf8' },
      );
      expect(build.status, build.stderr).toBe(0);

      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
      delete env.ELECTRON_RUN_AS_NODE;
      delete env.ELECTRON_RENDERER_URL;
      if (needsX) {
        const x = await startXvfb();
        xvfb = x.process;
        env.DISPLAY = x.display;
      }
      userData = await mkdtemp(join(tmpdir(), 'lab-smoke-'));

      const { _electron } = await import('@playwright/test');
      const app = await _electron.launch({
        executablePath: binary!,
        args: [
          join(repo, 'out', 'main', 'index.js'),
          `--user-data-dir=${userData}`,
          // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer
          // stays a sandboxed renderer (no Node in the preload) either way.
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ],
        cwd: repo,
        env,
      });
      try {
        const page = await app.firstWindow();
        await page.waitForLoadState('domcontentloaded');
        expect(await page.title()).toContain('Backprop Lab');
        // Served from the app's own scheme with COOP/COEP: cross-origin isolated, so the
        // training worker splits large matrix products between two threads.
        expect(page.url()).toBe('app://backprop-lab/index.html');
        expect(
          await page.evaluate(
            () => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated,
          ),
        ).toBe(true);
        await page.getByTestId('threads').waitFor({ timeout: 20_000 });
        const globals = await page.evaluate(() => {
          // globalThis is the page's window here (page.evaluate runs in the page).
          const w = globalThis as unknown as Record<string, unknown>;
          let evalBlocked = false;
          try {
            (0, eval)('1');
          } catch {
            evalBlocked = true;
          }
          return {
            lab: typeof w.lab,
            labKeys: Object.keys((w.lab as object) ?? {}).sort(),
            require: typeof w.require,
            process: typeof w.process,
            evalBlocked,
          };
        });
        expect(globals).toEqual({
          lab: 'object',
          labKeys: [...INVOKE_CHANNELS.map((c) => bridgeName(c)), 'on'].sort(),
          require: 'undefined',
          process: 'undefined',
          evalBlocked: true, // the Content-Security-Policy is in force
        });
        const info = await page.evaluate(() =>
          (globalThis as unknown as { lab: { appInfo(): Promise<unknown> } }).lab.appInfo(),
        );
        expect(info).toMatchObject({ platform: process.platform });
        // Nothing to ask about on the way out: close() must not wait on a Save dialog.
        await page.evaluate(() =>
          (
            globalThis as unknown as { lab: { windowSetDirty(d: boolean): Promise<void> } }
          ).lab.windowSetDirty(false),
        );
      } finally {
        await app.close();
      }
    },
    180_000,
  );
});
