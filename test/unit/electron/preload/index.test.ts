import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bridgeName, INVOKE_CHANNELS } from '../../../../electron/ipc/channels';
import { contextBridge, ipcRenderer } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

let calls: unknown[][];
beforeAll(async () => {
  await import('../../../../electron/preload/index');
  calls = contextBridge.exposeInMainWorld.mock.calls;
});

describe('the preload script', () => {
  it('exposes the bridge as window.lab through contextBridge, and nothing else', () => {
    expect(calls).toHaveLength(1);
    const [key, bridge] = calls[0] as [string, Record<string, unknown>];
    expect(key).toBe('lab');
    expect(Object.keys(bridge).sort()).toEqual(
      [...INVOKE_CHANNELS.map((c) => bridgeName(c)), 'on'].sort(),
    );
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
  });

  it("forwards to Electron's ipcRenderer", async () => {
    const bridge = calls[0][1] as Record<string, () => Promise<unknown>>;
    ipcRenderer.invoke.mockResolvedValueOnce(['/p/a.json']);
    await expect(bridge.projectRecent()).resolves.toEqual(['/p/a.json']);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('project:recent');
  });
});
