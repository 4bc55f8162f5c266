import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dialog, resetElectron } from '../../fake-electron';
import { setupIpc, type IpcSetup } from './setup';

vi.mock('electron', () => import('../../fake-electron'));

let s: IpcSetup;
beforeEach(async () => {
  resetElectron();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  s = await setupIpc();
});
afterEach(() => s.cleanup());

describe('window:setDirty and window:close', () => {
  it('make closing ask, and close without asking after the save', async () => {
    await s.invoke('window:setDirty', true);
    expect(s.closeGuard.dirty).toBe(true);
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0 });
    s.win.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(s.win.webContents.send).toHaveBeenCalledWith('menu:command', 'saveAndClose');
    expect(s.win.isDestroyed()).toBe(false);
    await s.invoke('window:close');
    expect(s.win.isDestroyed()).toBe(true);
    expect(s.onClosing).toHaveBeenCalledTimes(1);
  });

  it('clear the dirty state', async () => {
    await s.invoke('window:setDirty', true);
    await s.invoke('window:setDirty', false);
    s.win.close();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(s.win.isDestroyed()).toBe(true);
  });

  it('take a boolean', async () => {
    await expect(s.invokeRaw('window:setDirty', 1)).rejects.toThrow('expected boolean');
  });
});

describe('app:info', () => {
  it('gives the version, the platform and the plugin folder', async () => {
    expect(await s.invoke('app:info')).toEqual({
      version: '0.1.0',
      platform: 'linux',
      pluginFolder: s.paths.userPlugins,
    });
  });
});
