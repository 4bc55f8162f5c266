import type { IpcMain } from 'electron';
import { autosaveHandlers } from './autosave';
import type { MainContext } from './context';
import { fileHandlers } from './files';
import { createHandle, registerHandlers, type HandlerTable, type SenderCheck } from './handle';
import { pluginHandlers } from './plugins';
import { projectHandlers } from './project';
import { windowHandlers } from './window';

/** Every channel's handler; the type makes a missing one a compile error. */
export function allHandlers(ctx: MainContext): HandlerTable {
  return {
    ...projectHandlers(ctx),
    ...autosaveHandlers(ctx),
    ...fileHandlers(ctx),
    ...pluginHandlers(ctx),
    ...windowHandlers(ctx),
  };
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  checkSender: SenderCheck,
  ctx: MainContext,
): void {
  registerHandlers(createHandle(ipcMain, checkSender), allHandlers(ctx));
}
