// Run by `npm start` before electron-vite (not part of the app's bundle). Electron's npm package
// downloads its binary on first use; this does that download up front, with the progress bar,
// and when it fails says why in a few lines instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The folder of the installed `electron` package. */
export function electronPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

/** The Electron executable, or null when its binary has not been downloaded yet. */
export function electronBinaryPath(
  dir = electronPackageDir(),
  env: Record<string, string | undefined> = process.env,
): string | null {
  if (env.ELECTRON_EXEC_PATH)
    return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const full = join(env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), relative);
  return existsSync(full) ? full : null;
}

/**
 * Code for `node -e`: the package's own install.js (which downloads the binary, with a progress
 * bar on a terminal), with the stack traces it prints cut down to their first line.
 */
export function installScript(dir: string): string {
  return (
    'const error = console.error;' +
    "const short = (x) => typeof x === 'string' ? x.split('\\n').filter((l) => !/^\\s+at /.test(l)).join('\\n') : x;" +
    'console.error = (...a) => error(...a.map(short));' +
    `require(${JSON.stringify(join(dir, 'install.js'))});`
  );
}

export function runElectronInstall(dir: string): number {
  return spawnSync(process.execPath, ['-e', installScript(dir)], { stdio: 'inherit' }).status ?? 1;
}

export interface EnsureResult {
  ok: boolean;
  /** What to print: nothing when the binary was already there. */
  message: string;
}

export function ensureElectron(
  dir = electronPackageDir(),
  install: (dir: string) => number = runElectronInstall,
): EnsureResult {
  if (electronBinaryPath(dir)) return { ok: true, message: '' };
  const version = (
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }
  ).version;
  console.log(`Downloading Electron ${version} (first start only)…`);
  const status = install(dir);
  if (status === 0 && electronBinaryPath(dir)) {
    return { ok: true, message: `Electron ${version} is installed.` };
  }
  return {
    ok: false,
    message: [
      `Cannot start Backprop Lab: the Electron ${version} binary is not installed, and downloading it failed${status === 0 ? '' : ' (the reason is above)'}.`,
      'Check the network connection (behind a proxy set HTTPS_PROXY; to use a mirror set ELECTRON_MIRROR)',
      'and run `npm start` again.',
      'Meanwhile the same app runs in a browser: npm run web (then open the address it prints),',
      'and the command line works without Electron: npx backprop-lab train examples/xor.json',
    ].join('\n'),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = ensureElectron();
  if (result.message) (result.ok ? console.log : console.error)(result.message);
  process.exitCode = result.ok ? 0 : 1;
}
