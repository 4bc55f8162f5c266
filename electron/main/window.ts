import { BrowserWindow } from 'electron';
import { appPageUrl } from './app-protocol';
import type { AppPaths } from './paths';
import { MIN_SIZE, type WindowPlacement } from './window-state';

export const APP_TITLE = 'Backprop Lab';

/**
 * The app window: isolated, sandboxed, no Node, web security on; named functions via the preload.
 * The options are written literally inside `new BrowserWindow(…)` so that a scanner reading the
 * source (Electronegativity, `npm run check:electron`) sees them as they are. Middle-click
 * (Auxclick) is disabled: it would open a link in a new window without a click handler's say.
 */
export function createMainWindow(paths: AppPaths, place: WindowPlacement): BrowserWindow {
  const win = new BrowserWindow({
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    width: place.width,
    height: place.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: APP_TITLE,
    show: false, // shown on 'ready-to-show', without a blank first frame
    webPreferences: {
      // Electronegativity asks for a review of every preload (PRELOAD_JS_CHECK, medium, "manual
      // review"). Reviewed: electron/preload/bridge.ts exposes one named function per channel of
      // electron/ipc/channels.ts through contextBridge, frozen, and never ipcRenderer itself
      // (test/unit/electron/preload/bridge.test.ts); main checks every argument (ipc/handle.ts).
      preload: paths.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    win.show();
  });
  return win;
}

/**
 * The dev server in `electron-vite dev`, otherwise the built page from app:// (served by
 * app-protocol.ts with COOP and COEP, so that it is cross-origin isolated; file:// is not).
 */
export function loadApp(win: BrowserWindow, paths: AppPaths): Promise<void> {
  return win.loadURL(paths.devServerUrl ?? appPageUrl);
}
