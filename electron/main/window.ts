import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { appPageUrl } from './app-protocol';
import type { AppPaths } from './paths';
import { MIN_SIZE, type WindowPlacement } from './window-state';

export const APP_TITLE = 'Backprop Lab';

/** The app window: isolated, sandboxed, no Node, web security on; named functions via the preload. */
export function mainWindowOptions(
  preload: string,
  place: WindowPlacement,
): BrowserWindowConstructorOptions {
  return {
    ...(place.x !== undefined && place.y !== undefined ? { x: place.x, y: place.y } : {}),
    width: place.width,
    height: place.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: APP_TITLE,
    show: false, // shown on 'ready-to-show', without a blank first frame
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

export function createMainWindow(paths: AppPaths, place: WindowPlacement): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(paths.preload, place));
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
