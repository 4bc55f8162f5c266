import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTOSAVE_FILE } from '../../../../../electron/main/ipc/autosave';
import { resetElectron } from '../../fake-electron';
import { setupIpc, type IpcSetup } from './setup';

vi.mock('electron', () => import('../../fake-electron'));

let s: IpcSetup;
beforeEach(async () => {
  resetElectron();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  s = await setupIpc();
});
afterEach(() => s.cleanup());

describe('autosave', () => {
  it('is empty at first', async () => {
    expect(await s.invoke('autosave:read')).toBeNull();
  });

  it('writes the unsaved project into the user data folder and reads it back', async () => {
    await s.invoke('autosave:write', '{"name":"v1"}');
    await s.invoke('autosave:write', '{"name":"v2"}');
    expect(await s.invoke('autosave:read')).toBe('{"name":"v2"}');
    expect(await readFile(join(s.paths.userData, AUTOSAVE_FILE), 'utf8')).toBe('{"name":"v2"}');
  });

  it('clears it (twice is fine)', async () => {
    await s.invoke('autosave:write', '{}');
    await s.invoke('autosave:clear');
    await s.invoke('autosave:clear');
    expect(await s.invoke('autosave:read')).toBeNull();
  });

  it('takes only text', async () => {
    await expect(s.invokeRaw('autosave:write', 12)).rejects.toThrow(
      "Invalid payload for 'autosave:write': argument 1: expected string, received number.",
    );
  });
});
