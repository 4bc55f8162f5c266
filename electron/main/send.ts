import type { BrowserWindow } from 'electron';
import type { EventChannel, Events } from '../ipc/channels';

type Target = Pick<BrowserWindow, 'isDestroyed'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send'>;
};

/** Main → renderer, typed by the channel map; dropped when the window is gone. */
export function sendToWindow<K extends EventChannel>(
  win: Target | null,
  channel: K,
  ...args: Parameters<Events[K]>
): void {
  if (!win || win.isDestroyed()) return;
  win.webContents.send(channel, ...args);
}
