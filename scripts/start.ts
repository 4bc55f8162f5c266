// `npm start`: the desktop app, or — where Electron's binary cannot be had (no network on the
// first start) — the same app for the browser, built and served with the desktop app's
// cross-origin isolation headers at a printed local address.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  electronPackageDir,
  ensureElectron,
  installScript,
} from '../electron/main/ensure-electron';

const root = fileURLToPath(new URL('../', import.meta.url));

/** What the launcher needs from the outside world (replaced in tests). */
export interface StartDeps {
  /** Make sure Electron's binary is there; `reason` says why not. */
  ensure(): { ok: boolean; message: string; reason: string };
  /** Run the desktop app (electron-vite preview) to its end; resolves to its exit code. */
  desktop(): Promise<number>;
  /** Build and serve the web app; resolves to the address it listens on. */
  web(): Promise<string>;
  log(line: string): void;
}

/**
 * Start the desktop app, or serve it for the browser when Electron cannot start. Resolves to
 * the desktop app's exit code, or null while the web server runs on.
 */
export async function start(deps: StartDeps): Promise<number | null> {
  const electron = deps.ensure();
  if (electron.ok) {
    if (electron.message) deps.log(electron.message);
    return deps.desktop();
  }
  deps.log(
    `Electron's binary is not installed and could not be downloaded (${electron.reason}): ` +
      'serving the same app for the browser instead…',
  );
  const url = await deps.web();
  deps.log(`Backprop Lab is at ${url} — open it in Chromium or Chrome (Ctrl+C stops it).`);
  return null;
}

/** The last line a failed download printed, without stack frames: "TypeError: fetch failed". */
export function failureReason(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  return lines.at(-1) ?? 'no reason given';
}

function ensureQuietly(): { ok: boolean; message: string; reason: string } {
  let reason = '';
  const result = ensureElectron(electronPackageDir(), (dir) => {
    const run = spawnSync(process.execPath, ['-e', installScript(dir)], { encoding: 'utf8' });
    reason = failureReason(`${run.stdout ?? ''}\n${run.stderr ?? ''}`);
    return run.status ?? 1;
  });
  return { ...result, reason };
}

function desktop(): Promise<number> {
  const bin = createRequire(import.meta.url).resolve('electron-vite/bin/electron-vite.js');
  const child = spawn(process.execPath, [bin, 'preview'], { cwd: root, stdio: 'inherit' });
  return new Promise((done) => child.on('exit', (code) => done(code ?? 1)));
}

async function web(): Promise<string> {
  const { build, preview } = await import('vite');
  const configFile = fileURLToPath(new URL('../vite.web.config.ts', import.meta.url));
  await build({ configFile, logLevel: 'warn' });
  const port = Number(process.env.BACKPROP_LAB_PORT ?? 4173);
  const server = await preview({
    configFile,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: false, open: false },
  });
  return server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await start({ ensure: ensureQuietly, desktop, web, log: (l) => console.log(l) });
  if (code !== null) process.exitCode = code;
}
