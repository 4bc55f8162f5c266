import {
  dialog,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { CloseGuard } from '../close-guard';
import type { AppPaths } from '../paths';
import type { RecentProjects } from '../recent';

/** What the IPC handlers work with. */
export interface MainContext {
  paths: AppPaths;
  /** The app window: the parent of dialogs, the target of events. */
  window(): BrowserWindow | null;
  recent: RecentProjects;
  closeGuard(): CloseGuard | null;
  /** Folder the Open and Save dialogs start in when there is no better one. */
  documentsDir: string;
  appVersion: string;
  platform: NodeJS.Platform;
}

/** The picked file, or null when the dialog was cancelled. */
export async function pickFile(ctx: MainContext, o: OpenDialogOptions): Promise<string | null> {
  const win = ctx.window();
  const options: OpenDialogOptions = { ...o, properties: ['openFile'] };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

/** The chosen path, or null when the dialog was cancelled. */
export async function pickSavePath(ctx: MainContext, o: SaveDialogOptions): Promise<string | null> {
  const win = ctx.window();
  const options: SaveDialogOptions = { ...o, properties: ['showOverwriteConfirmation'] };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : r.filePath;
}
