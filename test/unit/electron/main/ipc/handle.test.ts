import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { INVOKE_CHANNELS } from '../../../../../electron/ipc/channels';
import { createHandle, describeIssues } from '../../../../../electron/main/ipc/handle';
import { ipcMain, resetElectron } from '../../fake-electron';
import { setupIpc, type IpcSetup } from './setup';

vi.mock('electron', () => import('../../fake-electron'));

let s: IpcSetup;
let errors: ReturnType<typeof vi.spyOn>;
beforeEach(async () => {
  resetElectron();
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  s = await setupIpc();
});
afterEach(() => s.cleanup());

describe('registration', () => {
  it('has exactly one handler per channel of the map', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });
});

describe('the sender check', () => {
  it("answers the app window's page", async () => {
    await expect(s.invoke('project:recent')).resolves.toEqual([]);
  });

  it('refuses another web contents, and logs it', async () => {
    const event = { sender: s.foreignContents(), senderFrame: { url: s.appPage, parent: null } };
    await expect(s.invokeAs(event, 'autosave:read')).rejects.toThrow(
      "Refused IPC 'autosave:read': it does not come from the app window.",
    );
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("Refused IPC 'autosave:read'"));
  });

  it('refuses a foreign page loaded in the app window', async () => {
    const event = {
      sender: s.win.webContents,
      senderFrame: { url: 'https://example.com/', parent: null },
    };
    await expect(s.invokeAs(event, 'autosave:write', 'x')).rejects.toThrow(
      "it comes from https://example.com/, not from the app's page",
    );
  });

  it('answers the page at app://backprop-lab/index.html, whatever its hash', async () => {
    expect(s.appPage).toBe('app://backprop-lab/index.html');
    for (const url of [s.appPage, `${s.appPage}#/train`]) {
      const event = { sender: s.win.webContents, senderFrame: { url, parent: null } };
      await expect(s.invokeAs(event, 'project:recent')).resolves.toEqual([]);
    }
  });

  it('refuses the built page over file:// and lookalikes of the app origin', async () => {
    for (const url of [
      pathToFileURL(s.paths.rendererIndex).href,
      'app://backprop-lab.evil/index.html',
      'app://evil@backprop-lab/index.html',
    ]) {
      const event = { sender: s.win.webContents, senderFrame: { url, parent: null } };
      await expect(s.invokeAs(event, 'project:recent')).rejects.toThrow(
        `it comes from ${url}, not from the app's page`,
      );
    }
  });

  it('refuses a subframe, even one showing an app file', async () => {
    const event = {
      sender: s.win.webContents,
      senderFrame: { url: s.appPage, parent: { url: s.appPage } },
    };
    await expect(s.invokeAs(event, 'project:recent')).rejects.toThrow('it comes from a subframe');
  });

  it('refuses a frame that is gone and a closed window', async () => {
    await expect(
      s.invokeAs({ sender: s.win.webContents, senderFrame: null }, 'project:recent'),
    ).rejects.toThrow('the frame that sent it is gone');
    s.win.close();
    await expect(s.invoke('project:recent')).rejects.toThrow('the app window is closed');
  });

  it('checks the sender before running the handler', async () => {
    const event = { sender: s.foreignContents(), senderFrame: { url: s.appPage, parent: null } };
    await expect(s.invokeAs(event, 'autosave:write', 'stolen')).rejects.toThrow('Refused');
    await expect(s.invoke('autosave:read')).resolves.toBeNull();
  });
});

describe('payload validation', () => {
  it('rejects a wrong type with the channel, the argument and what was expected', async () => {
    await expect(s.invokeRaw('window:setDirty', 'yes')).rejects.toThrow(
      "Invalid payload for 'window:setDirty': argument 1: expected boolean, received string.",
    );
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining("Invalid payload for 'window:setDirty'"),
    );
  });

  it('names the field inside an object argument', async () => {
    await expect(
      s.invokeRaw('project:save', { path: null, text: 42, saveAs: false, suggestedName: 'a.json' }),
    ).rejects.toThrow("Invalid payload for 'project:save': argument 1 › text: expected string");
  });

  it('rejects missing and extra arguments', async () => {
    await expect(s.invokeRaw('autosave:write')).rejects.toThrow(
      "Invalid payload for 'autosave:write': expected 1 argument, got 0.",
    );
    await expect(s.invokeRaw('autosave:read', 'extra')).rejects.toThrow(
      "Invalid payload for 'autosave:read': expected 0 arguments, got 1.",
    );
  });

  it('does not run the handler on a bad payload', async () => {
    await expect(s.invokeRaw('autosave:write', { text: 'x' })).rejects.toThrow('Invalid payload');
    await expect(s.invoke('autosave:read')).resolves.toBeNull();
  });
});

describe('createHandle', () => {
  it('passes the parsed arguments and logs a failing handler before rethrowing', async () => {
    const registered = new Map<string, (...a: any[]) => Promise<unknown>>();
    const handle = createHandle(
      { handle: (c: string, f: any) => registered.set(c, f) } as never,
      () => null,
    );
    handle('window:setDirty', z.tuple([z.boolean()]), () => {
      throw new Error('boom');
    });
    await expect(registered.get('window:setDirty')!({}, true)).rejects.toThrow('boom');
    expect(errors).toHaveBeenCalledWith(
      "[backprop-lab] IPC 'window:setDirty' failed",
      expect.any(Error),
    );
  });

  it('describes issues by argument number', () => {
    const r = z.tuple([z.string(), z.object({ n: z.number() })]).safeParse(['a', { n: 'x' }]);
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(describeIssues(r.error.issues, 2)).toBe(
        'argument 2 › n: expected number, received string',
      );
    }
  });
});
