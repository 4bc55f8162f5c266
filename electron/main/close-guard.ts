// Unsaved changes are asked about before the window closes. The renderer reports its dirty
// state ('window:setDirty'); on Save it is asked to save ('saveAndClose') and answers with
// 'window:close' once the project is on disk (or does nothing when the user cancels the save).
import { dialog, type BrowserWindow } from 'electron';
import { sendToWindow } from './send';

export type CloseChoice = 'save' | 'discard' | 'cancel';

type GuardedWindow = Pick<BrowserWindow, 'on' | 'close' | 'isDestroyed'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send' | 'on'>;
  setDocumentEdited?: (edited: boolean) => void;
};

export interface CloseGuard {
  readonly dirty: boolean;
  setDirty(dirty: boolean): void;
  /** Closes without asking (after the save that 'saveAndClose' asked for). */
  closeNow(): void;
}

export interface CloseGuardOptions {
  platform: NodeJS.Platform;
  /** Runs once the window really closes, e.g. to save its size and place. */
  onClosing(): void;
  /** The user chose Cancel: a quit that was under way is called off. */
  onCancel?(): void;
}

const BUTTONS: CloseChoice[] = ['save', 'discard', 'cancel'];

export async function askToSave(win: BrowserWindow): Promise<CloseChoice> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'warning',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    title: 'Unsaved changes',
    message: 'Save the changes to this project before closing?',
    detail: "If you don't save, your changes will be lost.",
  });
  return BUTTONS[response] ?? 'cancel';
}

export function guardClose(win: GuardedWindow, o: CloseGuardOptions): CloseGuard {
  let dirty = false;
  let allowClose = false;
  let asking = false;

  win.on('close', (event) => {
    if (allowClose || !dirty) {
      o.onClosing();
      return;
    }
    event.preventDefault();
    if (asking) return;
    asking = true;
    void askToSave(win as BrowserWindow)
      .then((choice) => {
        if (win.isDestroyed()) return;
        if (choice === 'save') sendToWindow(win, 'menu:command', 'saveAndClose');
        else if (choice === 'discard') guard.closeNow();
        else o.onCancel?.();
      })
      .finally(() => {
        asking = false;
      });
  });

  // A crashed page cannot answer 'saveAndClose'; its last state is in the autosave file.
  win.webContents.on('render-process-gone', () => {
    dirty = false;
  });

  const guard: CloseGuard = {
    get dirty() {
      return dirty;
    },
    setDirty(value) {
      dirty = value;
      if (o.platform === 'darwin') win.setDocumentEdited?.(value);
    },
    closeNow() {
      allowClose = true;
      if (!win.isDestroyed()) win.close();
    },
  };
  return guard;
}
