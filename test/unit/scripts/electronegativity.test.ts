// `npm run check:electron` (scripts/electronegativity.ts): the scanner runs offline and its
// findings decide the exit code. A window built like the app's passes; one with a bad option,
// or without middle-click disabled, fails, naming the check, the file and the line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  electronVersionOf,
  failingFindings,
  formatFindings,
  scanFolder,
} from '../../../scripts/electronegativity';
import { PAGE_META_POLICY } from '../../../renderer/security/content-security-policy';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A tiny Electron app: package.json, a page with the app's policy, and a main file. */
function app(webPreferences: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'eng-app-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'a', devDependencies: { electron: '^45.5.0' } }),
  );
  writeFileSync(
    join(dir, 'index.html'),
    `<html><head><meta http-equiv="Content-Security-Policy" content="${PAGE_META_POLICY}"></head></html>`,
  );
  writeFileSync(
    join(dir, 'main.js'),
    [
      "const { BrowserWindow, app, session } = require('electron');",
      'app.whenReady().then(() => {',
      '  session.defaultSession.setPermissionRequestHandler((w, p, done) => done(false));',
      `  const win = new BrowserWindow({ width: 800, webPreferences: { ${webPreferences} } });`,
      "  win.webContents.on('will-navigate', (e) => e.preventDefault());",
      '  win.webContents.setWindowOpenHandler(() => ({ action: "deny" }));',
      '});',
      '',
    ].join('\n'),
  );
  return dir;
}

const GOOD = [
  'contextIsolation: true',
  'sandbox: true',
  'nodeIntegration: false',
  'webSecurity: true',
  "disableBlinkFeatures: 'Auxclick'",
].join(', ');

describe('the Electronegativity check', () => {
  it('passes a window built like the app’s', async () => {
    const result = await scanFolder(app(GOOD), '45.5.0');
    expect(result.checks).toBeGreaterThan(30);
    expect(result.unreadable).toEqual([]);
    expect(failingFindings(result)).toEqual([]);
  }, 60_000);

  it('fails on a window without context isolation or with middle-click, naming where', async () => {
    const bad = GOOD.replace('contextIsolation: true', 'contextIsolation: false').replace(
      "disableBlinkFeatures: 'Auxclick'",
      "disableBlinkFeatures: ''",
    );
    const result = await scanFolder(app(bad), '45.5.0');
    const failing = failingFindings(result).map((f) => `${f.severity} ${f.id} ${f.file}:${f.line}`);
    expect(failing).toEqual(
      expect.arrayContaining([
        'HIGH CONTEXT_ISOLATION_JS_CHECK main.js:4',
        'MEDIUM AUXCLICK_JS_CHECK main.js:4',
      ]),
    );
    expect(formatFindings(result)[0]).toMatch(/^HIGH CONTEXT_ISOLATION_JS_CHECK main\.js:4:/);
  }, 60_000);

  it('reads the Electron version from package.json', () => {
    const dir = app(GOOD);
    expect(electronVersionOf(join(dir, 'package.json'))).toBe('45.5.0');
  });
});
