import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../../electron/ipc/channels';
import { runApp, WINDOW_STATE_FILE, type RunningApp } from '../../../../electron/main/app';
import { CONTENT_SECURITY_POLICY } from '../../../../electron/main/security';
import {
  app,
  FakeBrowserWindow,
  FakeWebContents,
  fakeEvent,
  ipcMain,
  Menu,
  protocol,
  resetElectron,
  session,
} from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

type Item = MenuItemConstructorOptions;

let root: string;
let running: RunningApp | null = null;
const mainDir = '/repo/out/main';

beforeEach(async () => {
  resetElectron();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  root = await mkdtemp(join(tmpdir(), 'lab-app-'));
  app.paths = { appData: join(root, 'appData'), documents: join(root, 'Documents') };
  app.switches['user-data-dir'] = join(root, 'userData');
});
afterEach(async () => {
  running?.watcher.close();
  running = null;
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

async function start(): Promise<RunningApp> {
  running = await runApp(mainDir);
  if (!running) throw new Error('the app did not start');
  return running;
}

function lastMenu(): Item[] {
  const calls = Menu.buildFromTemplate.mock.calls;
  return calls[calls.length - 1][0] as Item[];
}

function menuItem(menu: string, label: string): Item {
  const sub = lastMenu().find((m) => m.label === menu)?.submenu as Item[];
  const found = sub.find((i) => i.label === label);
  if (!found) throw new Error(`no ${menu} ▸ ${label}`);
  return found;
}

describe('starting the app', () => {
  it('opens one sandboxed, isolated window without Node on the built page', async () => {
    const { window } = await start();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]).toBe(window);
    expect((window as never as FakeBrowserWindow).options.webPreferences).toMatchObject({
      preload: '/repo/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(app.enableSandbox).toHaveBeenCalled();
    expect((window as never as FakeBrowserWindow).loadURL.mock.calls).toEqual([
      ['app://backprop-lab/index.html'],
    ]);
    expect((window as never as FakeBrowserWindow).loadFile).not.toHaveBeenCalled();
  });

  it('registers app:// before ready and serves it before the page loads', async () => {
    const registeredBeforeReady: boolean[] = [];
    const whenReady = vi.spyOn(app, 'whenReady').mockImplementation(async () => {
      registeredBeforeReady.push(protocol.registerSchemesAsPrivileged.mock.calls.length === 1);
      expect(session.defaultSession.protocol.handle).not.toHaveBeenCalled();
    });
    try {
      const { window } = await start();
      expect(registeredBeforeReady).toEqual([true]);
      expect(protocol.registerSchemesAsPrivileged.mock.calls[0][0]).toEqual([
        expect.objectContaining({
          scheme: 'app',
          privileges: expect.objectContaining({ standard: true, secure: true }),
        }),
      ]);
      const handle = session.defaultSession.protocol.handle;
      expect(handle).toHaveBeenCalledTimes(1);
      expect(handle.mock.calls[0][0]).toBe('app');
      const loadURL = (window as never as FakeBrowserWindow).loadURL;
      expect(handle.mock.invocationCallOrder[0]).toBeLessThan(loadURL.mock.invocationCallOrder[0]);
    } finally {
      whenReady.mockRestore();
    }
  });

  it('serves its page from the renderer folder with the CSP and isolation headers', async () => {
    const mainDir = join(root, 'out', 'main');
    await mkdir(join(root, 'out', 'renderer'), { recursive: true });
    await writeFile(join(root, 'out', 'renderer', 'index.html'), '<title>lab</title>');
    running = await runApp(mainDir);
    const handler = session.defaultSession.protocolHandlers.get('app')!;
    const r = await handler(new Request('app://backprop-lab/index.html'));
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('<title>lab</title>');
    expect(r.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });

  it("puts the CSP on the dev server's page and denies permissions", async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    await start();
    const s = session.defaultSession;
    let headers: Record<string, string[]> = {};
    s.headersListener!(
      { url: 'http://localhost:5173/', responseHeaders: {} },
      (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders),
    );
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['Cross-Origin-Embedder-Policy']).toEqual(['require-corp']);
    const callback = vi.fn();
    s.permissionRequestHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('hardens every web contents it creates', async () => {
    await start();
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    const away = fakeEvent({ url: 'https://example.com/' });
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const reload = fakeEvent({ url: 'app://backprop-lab/index.html' });
    contents.emit('will-navigate', reload);
    expect(reload.defaultPrevented).toBe(false);
    expect(contents.setWindowOpenHandler.mock.calls[0][0]({ url: 'x' })).toEqual({
      action: 'deny',
    });
  });

  it('answers every channel, keeping its files in --user-data-dir', async () => {
    const { paths } = await start();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(paths.userData).toBe(join(root, 'userData'));
    expect(paths.userPlugins).toBe(join(root, 'userData', 'plugins'));
  });

  it("keeps its files in '<appData>/Backprop Lab' however it was started", async () => {
    delete app.switches['user-data-dir'];
    const { paths } = await start();
    expect(paths.userData).toBe(join(root, 'appData', 'Backprop Lab'));
    expect(app.getPath('userData')).toBe(join(root, 'appData', 'Backprop Lab'));
    expect(app.setName).toHaveBeenCalledWith('Backprop Lab');
  });

  it('quits when another instance is already running', async () => {
    app.requestSingleInstanceLock.mockReturnValue(false);
    expect(await runApp(mainDir)).toBeNull();
    expect(app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('quits when its window closes (except on macOS)', async () => {
    const { window } = await start();
    window.close();
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalled();
  });
});

describe('the window state', () => {
  it('is saved on close and restored on the next start', async () => {
    const first = await start();
    const fake = first.window as never as FakeBrowserWindow;
    fake.normalBounds = { x: 120, y: 80, width: 1100, height: 720 };
    fake.maximized = true;
    first.window.close();
    const file = join(root, 'userData', WINDOW_STATE_FILE);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      x: 120,
      y: 80,
      width: 1100,
      height: 720,
      maximized: true,
    });
    first.watcher.close();

    resetElectron();
    app.paths = { appData: join(root, 'appData'), documents: root };
    app.switches['user-data-dir'] = join(root, 'userData');
    const second = await start();
    const options = (second.window as never as FakeBrowserWindow).options;
    expect(options).toMatchObject({ x: 120, y: 80, width: 1100, height: 720 });
    second.window.emit('ready-to-show');
    expect((second.window as never as FakeBrowserWindow).maximize).toHaveBeenCalled();
  });
});

describe('the menu', () => {
  it('sends commands to the page', async () => {
    const { window } = await start();
    (menuItem('File', 'Save').click as () => void)();
    expect(window.webContents.send).toHaveBeenCalledWith('menu:command', 'save');
  });

  it('copies text natively and tells the page', async () => {
    const { window } = await start();
    (menuItem('Edit', 'Copy').click as () => void)();
    expect((window.webContents as never as FakeWebContents).copy).toHaveBeenCalled();
    expect(window.webContents.send).toHaveBeenCalledWith('menu:command', 'copy');
  });

  it('rebuilds Open Recent when a project is saved, and opens it through the page', async () => {
    const { recent, window } = await start();
    recent.add('/p/xor.json');
    const openRecent = menuItem('File', 'Open Recent').submenu as Item[];
    expect(openRecent[0].label).toBe('/p/xor.json');
    (openRecent[0].click as () => void)();
    expect(window.webContents.send).toHaveBeenCalledWith('menu:openRecent', '/p/xor.json');
  });

  it('has no developer items outside development', async () => {
    await start();
    const view = lastMenu().find((m) => m.label === 'View')!.submenu as Item[];
    expect(view.map((i) => i.role)).not.toContain('toggleDevTools');
  });
});

describe('in development (electron-vite dev)', () => {
  it('loads the dev server and offers Reload and DevTools', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    const { window } = await start();
    expect((window as never as FakeBrowserWindow).loadURL).toHaveBeenCalledWith(
      'http://localhost:5173',
    );
    const view = lastMenu().find((m) => m.label === 'View')!.submenu as Item[];
    expect(view.map((i) => i.role)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});

describe('the user plugin folder', () => {
  it('is watched, and changes are sent to the page', async () => {
    const { window, paths } = await start();
    await writeFile(join(paths.userPlugins, 'mine.js'), 'export default 1;');
    await vi.waitFor(
      () =>
        expect(window.webContents.send).toHaveBeenCalledWith('plugins:changed', {
          file: 'user:mine.js',
          source: 'export default 1;',
        }),
      { timeout: 5000, interval: 20 },
    );
  });
});
