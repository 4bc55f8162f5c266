// An app window, its context and every IPC handler registered on the fake ipcMain, over temp
// folders. Needs `vi.mock('electron', …)` in the test file.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { vi } from 'vitest';
import type { Invoke, InvokeChannel } from '../../../../../electron/ipc/channels';
import { guardClose } from '../../../../../electron/main/close-guard';
import { registerIpc } from '../../../../../electron/main/ipc';
import type { MainContext } from '../../../../../electron/main/ipc/context';
import { APP_ORIGIN, appPageUrl } from '../../../../../electron/main/app-protocol';
import { createSenderCheck } from '../../../../../electron/main/ipc/handle';
import type { AppPaths } from '../../../../../electron/main/paths';
import { RecentProjects } from '../../../../../electron/main/recent';
import { createAppUrlCheck } from '../../../../../electron/main/security';
import { FakeBrowserWindow, FakeWebContents, ipcMain } from '../../fake-electron';

export interface IpcEvent {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export async function setupIpc() {
  const root = await mkdtemp(join(tmpdir(), 'lab-ipc-'));
  const paths: AppPaths = {
    rendererDir: join(root, 'out', 'renderer'),
    rendererIndex: join(root, 'out', 'renderer', 'index.html'),
    preload: join(root, 'out', 'preload', 'index.cjs'),
    devServerUrl: null,
    shippedPlugins: join(root, 'shipped-plugins'),
    userData: join(root, 'userData'),
    userPlugins: join(root, 'userData', 'plugins'),
  };
  const documentsDir = join(root, 'Documents');
  await mkdir(paths.userData, { recursive: true });
  await mkdir(paths.shippedPlugins, { recursive: true });
  await mkdir(documentsDir, { recursive: true });

  const win = new FakeBrowserWindow({});
  const onClosing = vi.fn();
  const closeGuard = guardClose(win as never, { platform: 'linux', onClosing });
  const recent = RecentProjects.load(join(paths.userData, 'recent-projects.json'));
  const ctx: MainContext = {
    paths,
    window: () => (win.isDestroyed() ? null : (win as never as BrowserWindow)),
    recent,
    closeGuard: () => closeGuard,
    documentsDir,
    appVersion: '0.1.0',
    platform: 'linux',
  };
  const isAppUrl = createAppUrlCheck({ appOrigin: APP_ORIGIN, devServerUrl: paths.devServerUrl });
  registerIpc(ipcMain, createSenderCheck(ctx.window, isAppUrl), ctx);

  const appPage = appPageUrl;
  const appEvent = (): IpcEvent => ({
    sender: win.webContents,
    senderFrame: { url: appPage, parent: null },
  });
  const invokeAs = (event: IpcEvent, channel: string, ...args: unknown[]) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  };
  return {
    root,
    paths,
    documentsDir,
    win,
    onClosing,
    closeGuard,
    recent,
    appPage,
    appEvent,
    /** A call from the app's page, typed by the channel map. */
    invoke<C extends InvokeChannel>(
      channel: C,
      ...args: Parameters<Invoke[C]>
    ): Promise<ReturnType<Invoke[C]>> {
      return invokeAs(appEvent(), channel, ...args) as Promise<ReturnType<Invoke[C]>>;
    },
    /** A call with arguments of any shape, to test validation. */
    invokeRaw: (channel: string, ...args: unknown[]) => invokeAs(appEvent(), channel, ...args),
    invokeAs,
    foreignContents: () => new FakeWebContents(),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export type IpcSetup = Awaited<ReturnType<typeof setupIpc>>;
