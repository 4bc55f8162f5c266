import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveAppPaths } from '../../../../electron/main/paths';
import { APP_TITLE, createMainWindow, loadApp } from '../../../../electron/main/window';
import type { WindowPlacement } from '../../../../electron/main/window-state';
import { FakeBrowserWindow, resetElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

const paths = resolveAppPaths({
  mainDir: '/repo/out/main',
  isPackaged: false,
  resourcesPath: '/resources',
  userData: '/home/me/.config/lab',
  env: {},
});

beforeEach(resetElectron);

const optionsAt = (place: WindowPlacement) =>
  (createMainWindow(paths, place) as never as FakeBrowserWindow).options;

describe('the app window', () => {
  it('is isolated and sandboxed, without Node, with web security, and uses the CJS preload', () => {
    const o = optionsAt({ width: 1000, height: 700, maximized: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/repo/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // Middle-click would open a link in a new window (Electronegativity's AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    });
    expect(o.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(o.title).toBe(APP_TITLE);
    expect(o.show).toBe(false);
  });

  it('opens at the given place, or lets the OS center it', () => {
    const placed = optionsAt({
      x: 5,
      y: 6,
      width: 900,
      height: 650,
      maximized: false,
    });
    expect(placed).toMatchObject({ x: 5, y: 6, width: 900, height: 650 });
    const centered = optionsAt({ width: 900, height: 650, maximized: false });
    expect(centered).not.toHaveProperty('x');
    expect(centered).not.toHaveProperty('y');
  });

  it('shows itself when ready, maximized if it was', () => {
    const win = createMainWindow(paths, {
      width: 900,
      height: 650,
      maximized: true,
    }) as never as FakeBrowserWindow;
    expect(FakeBrowserWindow.instances).toEqual([win]);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.maximize).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
  });

  it('loads the built page from app://backprop-lab, never from file://', async () => {
    const win = createMainWindow(paths, { width: 900, height: 650, maximized: false });
    await loadApp(win, paths);
    const fake = win as never as FakeBrowserWindow;
    expect(fake.loadURL.mock.calls).toEqual([['app://backprop-lab/index.html']]);
    expect(fake.loadFile).not.toHaveBeenCalled();
  });

  it('loads the dev server in `electron-vite dev`', async () => {
    const win = createMainWindow(paths, { width: 900, height: 650, maximized: false });
    await loadApp(win, { ...paths, devServerUrl: 'http://localhost:5173' });
    const fake = win as never as FakeBrowserWindow;
    expect(fake.loadURL.mock.calls).toEqual([['http://localhost:5173']]);
    expect(fake.loadFile).not.toHaveBeenCalled();
  });
});

describe('app paths', () => {
  it('finds shipped plugins in the repo unpackaged and in resources when packaged', () => {
    expect(paths.shippedPlugins).toBe('/repo/plugins');
    expect(paths.userPlugins).toBe('/home/me/.config/lab/plugins');
    const packaged = resolveAppPaths({
      mainDir: '/opt/lab/resources/app.asar/out/main',
      isPackaged: true,
      resourcesPath: '/opt/lab/resources',
      userData: '/u',
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
    });
    expect(packaged.shippedPlugins).toBe('/opt/lab/resources/plugins');
    expect(packaged.devServerUrl).toBeNull();
  });

  it('uses the dev server only when electron-vite names one', () => {
    expect(paths.devServerUrl).toBeNull();
    const dev = resolveAppPaths({
      mainDir: '/repo/out/main',
      isPackaged: false,
      resourcesPath: '/r',
      userData: '/u',
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
    });
    expect(dev.devServerUrl).toBe('http://localhost:5173');
  });
});
