// A stand-in for the `electron` module (there is no Electron binary where the tests run).
// Use it with `vi.mock('electron', () => import('<relative path>/fake-electron'))`; call
// resetElectron() before each test.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  url?: string;
}

export function fakeEvent(extra: Record<string, unknown> = {}): FakeEvent {
  const e = {
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true;
    },
    ...extra,
  };
  return e;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly send = vi.fn();
  readonly setWindowOpenHandler = vi.fn();
  readonly undo = vi.fn();
  readonly redo = vi.fn();
  readonly cut = vi.fn();
  readonly copy = vi.fn();
  readonly paste = vi.fn();
  readonly delete = vi.fn();
  readonly selectAll = vi.fn();
  mainFrame = { url: 'app://backprop-lab/index.html', parent: null };
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => {});
  readonly loadFile = vi.fn(async (_file: string) => {});
  readonly show = vi.fn();
  readonly maximize = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly setDocumentEdited = vi.fn();
  destroyed = false;
  maximized = false;
  normalBounds = { x: 10, y: 20, width: 1000, height: 700 };

  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  /** Like Electron: 'close' first, which may be prevented; then the window is gone. */
  close(): void {
    if (this.destroyed) return;
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return false;
  }
  getNormalBounds() {
    return { ...this.normalBounds };
  }
}

export class FakeSession {
  /** protocol.handle's handlers by scheme. */
  readonly protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  readonly protocol = {
    handle: vi.fn((scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      if (this.protocolHandlers.has(scheme)) throw new Error(`second handler for ${scheme}:`);
      this.protocolHandlers.set(scheme, handler);
    }),
  };
  headersListener: ((details: any, callback: (r: any) => void) => void) | null = null;
  permissionRequestHandler: ((...a: any[]) => void) | null = null;
  permissionCheckHandler: ((...a: any[]) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: (details: any, callback: (r: any) => void) => void) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(h: (...a: any[]) => void) {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: (...a: any[]) => boolean) {
    this.permissionCheckHandler = h;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  paths: Record<string, string> = {};
  switches: Record<string, string> = {};
  readonly commandLine = { getSwitchValue: (name: string) => this.switches[name] ?? '' };
  readonly quit = vi.fn();
  readonly enableSandbox = vi.fn();
  readonly addRecentDocument = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => true);
  readonly setName = vi.fn();
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`fake app.getPath: no path for '${name}'`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.paths[name] = value;
  }
  getVersion(): string {
    return '0.1.0';
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

class FakeIpcMain {
  readonly handlers = new Map<string, (event: any, ...args: any[]) => Promise<unknown>>();
  handle(channel: string, fn: (event: any, ...args: any[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (..._a: unknown[]): Promise<unknown> => undefined);
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const BrowserWindow = FakeBrowserWindow;
export const session = { defaultSession: new FakeSession() };
export const protocol = { registerSchemesAsPrivileged: vi.fn((_schemes: unknown[]) => {}) };
export const dialog = {
  showOpenDialog: vi.fn(),
  showSaveDialog: vi.fn(),
  showMessageBox: vi.fn(),
};
export const shell = { openPath: vi.fn(async (_p: string) => '') };
export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};
const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
export const screen = {
  getAllDisplays: vi.fn(() => [{ workArea }]),
  getPrimaryDisplay: vi.fn(() => ({ workArea })),
};
export const contextBridge = { exposeInMainWorld: vi.fn() };

export function resetElectron(): void {
  app.removeAllListeners();
  app.isPackaged = false;
  app.paths = {};
  app.switches = {};
  app.quit.mockClear();
  app.enableSandbox.mockClear();
  app.addRecentDocument.mockClear();
  app.setName.mockClear();
  app.requestSingleInstanceLock.mockReset().mockReturnValue(true);
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockReset().mockResolvedValue(undefined);
  session.defaultSession = new FakeSession();
  protocol.registerSchemesAsPrivileged.mockClear();
  FakeBrowserWindow.instances = [];
  for (const fn of [
    dialog.showOpenDialog,
    dialog.showSaveDialog,
    dialog.showMessageBox,
    shell.openPath,
    Menu.buildFromTemplate,
    Menu.setApplicationMenu,
    contextBridge.exposeInMainWorld,
  ]) {
    fn.mockClear();
  }
  dialog.showOpenDialog.mockReset();
  dialog.showSaveDialog.mockReset();
  dialog.showMessageBox.mockReset();
  shell.openPath.mockReset().mockResolvedValue('');
}
