import { beforeEach, describe, expect, it, vi } from 'vitest';
import { guardClose } from '../../../../electron/main/close-guard';
import { dialog, FakeBrowserWindow, resetElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

const SAVE = 0;
const DONT_SAVE = 1;
const CANCEL = 2;

function setup(platform: NodeJS.Platform = 'linux') {
  const win = new FakeBrowserWindow({});
  const onClosing = vi.fn();
  const onCancel = vi.fn();
  const guard = guardClose(win as never, { platform, onClosing, onCancel });
  return { win, guard, onClosing, onCancel };
}

/** Lets the dialog's promise and its handlers run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(resetElectron);

describe('closing the window', () => {
  it('closes at once when nothing is unsaved, and saves its state', () => {
    const { win, onClosing } = setup();
    win.close();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(win.isDestroyed()).toBe(true);
    expect(onClosing).toHaveBeenCalledTimes(1);
  });

  it('asks about unsaved changes with Save, Don’t Save and Cancel', async () => {
    const { win, guard } = setup();
    guard.setDirty(true);
    dialog.showMessageBox.mockResolvedValue({ response: CANCEL });
    win.close();
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const [parent, options] = dialog.showMessageBox.mock.calls[0];
    expect(parent).toBe(win);
    expect(options).toMatchObject({
      buttons: ['Save', "Don't Save", 'Cancel'],
      defaultId: 0,
      cancelId: 2,
    });
  });

  it('Save: asks the renderer to save and close, and closes when it answers window:close', async () => {
    const { win, guard, onClosing } = setup();
    guard.setDirty(true);
    dialog.showMessageBox.mockResolvedValue({ response: SAVE });
    win.close();
    await settle();
    expect(win.webContents.send).toHaveBeenCalledWith('menu:command', 'saveAndClose');
    expect(win.isDestroyed()).toBe(false);
    expect(onClosing).not.toHaveBeenCalled();
    guard.closeNow(); // what 'window:close' does
    expect(win.isDestroyed()).toBe(true);
    expect(onClosing).toHaveBeenCalledTimes(1);
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
  });

  it('Save, then the user cancels the save: the window stays open and asks again next time', async () => {
    const { win, guard } = setup();
    guard.setDirty(true);
    dialog.showMessageBox.mockResolvedValue({ response: SAVE });
    win.close();
    await settle();
    expect(win.isDestroyed()).toBe(false);
    win.close();
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(2);
  });

  it("Don't Save: closes without saving", async () => {
    const { win, guard, onClosing } = setup();
    guard.setDirty(true);
    dialog.showMessageBox.mockResolvedValue({ response: DONT_SAVE });
    win.close();
    await settle();
    expect(win.webContents.send).not.toHaveBeenCalled();
    expect(win.isDestroyed()).toBe(true);
    expect(onClosing).toHaveBeenCalledTimes(1);
  });

  it('Cancel: keeps the window open and calls off a quit', async () => {
    const { win, guard, onClosing, onCancel } = setup();
    guard.setDirty(true);
    dialog.showMessageBox.mockResolvedValue({ response: CANCEL });
    win.close();
    await settle();
    expect(win.isDestroyed()).toBe(false);
    expect(win.webContents.send).not.toHaveBeenCalled();
    expect(onClosing).not.toHaveBeenCalled();
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('shows one dialog however often close is pressed while it is open', async () => {
    const { win, guard } = setup();
    guard.setDirty(true);
    let answer: (r: { response: number }) => void = () => {};
    dialog.showMessageBox.mockReturnValue(new Promise((r) => (answer = r)));
    win.close();
    win.close();
    win.close();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    answer({ response: CANCEL });
    await settle();
    expect(win.isDestroyed()).toBe(false);
  });

  it('closes without asking once the changes are saved (dirty false)', () => {
    const { win, guard } = setup();
    guard.setDirty(true);
    guard.setDirty(false);
    win.close();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(win.isDestroyed()).toBe(true);
  });

  it('closes without asking when the page has crashed (nobody could save)', () => {
    const { win, guard } = setup();
    guard.setDirty(true);
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    win.close();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(win.isDestroyed()).toBe(true);
  });

  it('marks the document edited on macOS only', () => {
    const mac = setup('darwin');
    mac.guard.setDirty(true);
    expect(mac.win.setDocumentEdited).toHaveBeenCalledWith(true);
    const linux = setup('linux');
    linux.guard.setDirty(true);
    expect(linux.win.setDocumentEdited).not.toHaveBeenCalled();
  });
});
