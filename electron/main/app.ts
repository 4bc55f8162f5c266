// The main process from start to quit: security first, then the window, its menu, the IPC
// handlers and the plugin folder watcher.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  dialog,
  ipcMain,
  protocol,
  screen,
  session,
  shell,
  type BrowserWindow,
} from 'electron';
import { APP_ORIGIN, installAppProtocol, registerAppScheme } from './app-protocol';
import { guardClose, type CloseGuard } from './close-guard';
import { createSenderCheck } from './ipc/handle';
import { registerIpc } from './ipc';
import type { MainContext } from './ipc/context';
import { log } from './log';
import { installMenu, type MenuActions } from './menu';
import { resolveAppPaths, type AppPaths } from './paths';
import { watchPluginFolder, type PluginFolderWatcher } from './plugin-folder';
import { RecentProjects } from './recent';
import {
  createAppUrlCheck,
  denyAllPermissions,
  hardenWebContents,
  installAppHeaders,
} from './security';
import { sendToWindow } from './send';
import { createMainWindow, loadApp, APP_TITLE } from './window';
import { placeWindow, readWindowState, writeWindowState } from './window-state';

export const WINDOW_STATE_FILE = 'window-state.json';
export const RECENT_FILE = 'recent-projects.json';

export interface RunningApp {
  paths: AppPaths;
  window: BrowserWindow;
  closeGuard: CloseGuard;
  recent: RecentProjects;
  watcher: PluginFolderWatcher;
}

/**
 * Sets up the process before 'ready' and resolves with the running app once its window exists.
 * Resolves with null when another instance is already running (this one then quits).
 */
export async function runApp(mainDir: string): Promise<RunningApp | null> {
  // One user data folder however the app was started (`electron .`, a packaged app, a test);
  // `--user-data-dir=<folder>` for tests and side-by-side profiles.
  app.setName(APP_TITLE);
  const userDataOverride = app.commandLine.getSwitchValue('user-data-dir');
  app.setPath('userData', userDataOverride || join(app.getPath('appData'), APP_TITLE));

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  app.enableSandbox();
  // Before 'ready' (Electron refuses it later): app:// as a standard, secure scheme.
  registerAppScheme(protocol);

  const paths = resolveAppPaths({
    mainDir,
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    userData: app.getPath('userData'),
    env: process.env,
  });
  const isAppUrl = createAppUrlCheck({ appOrigin: APP_ORIGIN, devServerUrl: paths.devServerUrl });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));

  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || quitting) app.quit();
  });

  await app.whenReady();
  // The built pages come from app://backprop-lab with their headers; the dev server's get them
  // from installAppHeaders.
  installAppProtocol(session.defaultSession, paths.rendererDir);
  installAppHeaders(session.defaultSession, isAppUrl);
  denyAllPermissions(session.defaultSession);
  mkdirSync(paths.userPlugins, { recursive: true });

  const recent = RecentProjects.load(join(paths.userData, RECENT_FILE));
  const stateFile = join(paths.userData, WINDOW_STATE_FILE);
  const place = placeWindow(
    readWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const win = createMainWindow(paths, place);
  const closeGuard = guardClose(win, {
    platform: process.platform,
    onCancel: () => {
      quitting = false; // macOS: closing the window later keeps the app in the dock
    },
    onClosing: () =>
      writeWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() }),
  });
  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const ctx: MainContext = {
    paths,
    window: () => (win.isDestroyed() ? null : win),
    recent,
    closeGuard: () => closeGuard,
    documentsDir: app.getPath('documents'),
    appVersion: app.getVersion(),
    platform: process.platform,
  };
  registerIpc(ipcMain, createSenderCheck(ctx.window, isAppUrl), ctx);

  const isDev = paths.devServerUrl !== null;
  const actions: MenuActions = {
    command: (command) => sendToWindow(ctx.window(), 'menu:command', command),
    openRecent: (path) => sendToWindow(ctx.window(), 'menu:openRecent', path),
    clearRecent: () => recent.clear(),
    openPluginFolder: () => {
      void shell.openPath(paths.userPlugins).then((error) => {
        if (error) log.error(`could not open ${paths.userPlugins}: ${error}`);
      });
    },
    nativeEdit: (op) => {
      const contents = ctx.window()?.webContents;
      if (contents) contents[op]();
    },
    showAbout: () => {
      const options = {
        type: 'info' as const,
        title: `About ${APP_TITLE}`,
        message: `${APP_TITLE} ${app.getVersion()}`,
        detail:
          'A desktop lab for learning and prototyping backpropagation.\n\n' +
          `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · ` +
          `Node ${process.versions.node}`,
      };
      const parent = ctx.window();
      void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
    },
  };
  const menu = () =>
    installMenu({
      platform: process.platform,
      isDev,
      appName: APP_TITLE,
      recent: recent.list(),
      actions,
    });
  menu();
  recent.onChange(menu);

  const watcher = watchPluginFolder(paths.userPlugins, (change) =>
    sendToWindow(ctx.window(), 'plugins:changed', change),
  );
  app.on('will-quit', () => watcher.close());

  loadApp(win, paths).catch((e) => log.error('could not load the app page', e));
  return { paths, window: win, closeGuard, recent, watcher };
}
