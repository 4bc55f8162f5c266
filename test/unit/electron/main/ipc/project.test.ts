import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RECENT, RecentProjects } from '../../../../../electron/main/recent';
import { app, dialog, resetElectron } from '../../fake-electron';
import { setupIpc, type IpcSetup } from './setup';

vi.mock('electron', () => import('../../fake-electron'));

const XOR = '{ "format": "backprop-lab.project", "version": 1, "name": "XOR" }';

let s: IpcSetup;
beforeEach(async () => {
  resetElectron();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  s = await setupIpc();
});
afterEach(() => s.cleanup());

const picked = (path: string) =>
  dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [path] });
const savedAs = (path: string) =>
  dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });

describe('project:open', () => {
  it('reads the picked file and puts it first in the recent list', async () => {
    const file = join(s.root, 'xor.json');
    await writeFile(file, XOR);
    picked(file);
    expect(await s.invoke('project:open')).toEqual({ path: file, name: 'xor.json', text: XOR });
    const [parent, options] = dialog.showOpenDialog.mock.calls[0];
    expect(parent).toBe(s.win);
    expect(options).toMatchObject({ properties: ['openFile'], defaultPath: s.documentsDir });
    expect(await s.invoke('project:recent')).toEqual([file]);
    expect(app.addRecentDocument).toHaveBeenCalledWith(file);
  });

  it('reads an ONNX model as bytes, to import: not a project to remember or write to', async () => {
    const file = join(s.root, 'model.onnx');
    await writeFile(file, new Uint8Array([8, 7, 0, 255]));
    picked(file);
    const got = await s.invoke('project:open');
    expect(got).toMatchObject({ path: file, name: 'model.onnx' });
    expect([...(got as { bytes: Uint8Array }).bytes]).toEqual([8, 7, 0, 255]);
    expect(await s.invoke('project:recent')).toEqual([]);
    expect(app.addRecentDocument).not.toHaveBeenCalled();
    // Save writes only where the user chose: the model's path is not one.
    expect(dialog.showOpenDialog.mock.calls[0][1].filters[0]).toEqual({
      name: 'Backprop Lab project or ONNX model',
      extensions: ['json', 'onnx'],
    });
  });

  it('returns null when the dialog is cancelled', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await s.invoke('project:open')).toBeNull();
    expect(await s.invoke('project:recent')).toEqual([]);
  });

  it('names the file when it cannot be read', async () => {
    const file = join(s.root, 'gone.json');
    picked(file);
    await expect(s.invoke('project:open')).rejects.toThrow(`Could not open ${file}: no such file.`);
  });
});

describe('project:openPath', () => {
  it('opens a recent project and moves it to the top', async () => {
    const a = join(s.root, 'a.json');
    const b = join(s.root, 'b.json');
    await writeFile(a, XOR);
    await writeFile(b, '{}');
    s.recent.add(a);
    s.recent.add(b);
    expect(await s.invoke('project:openPath', a)).toEqual({ path: a, name: 'a.json', text: XOR });
    expect(await s.invoke('project:recent')).toEqual([a, b]);
  });

  it('refuses a path that is not in the recent list (the renderer cannot read any file)', async () => {
    await expect(s.invoke('project:openPath', '/etc/passwd')).rejects.toThrow(
      '/etc/passwd is not a recent project',
    );
  });

  it('refuses a relative path', async () => {
    await expect(s.invokeRaw('project:openPath', 'a.json')).rejects.toThrow(
      "Invalid payload for 'project:openPath': argument 1: expected an absolute path.",
    );
  });

  it('drops a recent project that has disappeared', async () => {
    const gone = join(s.root, 'gone.json');
    s.recent.add(gone);
    await expect(s.invoke('project:openPath', gone)).rejects.toThrow('no such file');
    expect(await s.invoke('project:recent')).toEqual([]);
  });
});

describe('project:save', () => {
  const req = (
    o: Partial<{ path: string | null; text: string; saveAs: boolean; suggestedName: string }>,
  ) => ({
    path: null,
    text: XOR,
    saveAs: false,
    suggestedName: 'XOR.json',
    ...o,
  });

  it('asks where to save a new project, suggesting its name in Documents', async () => {
    const file = join(s.root, 'mine.json');
    savedAs(file);
    expect(await s.invoke('project:save', req({}))).toEqual({ path: file, name: 'mine.json' });
    expect(await readFile(file, 'utf8')).toBe(XOR);
    expect(dialog.showSaveDialog.mock.calls[0][1]).toMatchObject({
      defaultPath: join(s.documentsDir, 'XOR.json'),
    });
    expect(await s.invoke('project:recent')).toEqual([file]);
  });

  it('adds .json when the dialog returns a name without an extension', async () => {
    savedAs(join(s.root, 'plain'));
    expect(await s.invoke('project:save', req({}))).toEqual({
      path: join(s.root, 'plain.json'),
      name: 'plain.json',
    });
  });

  it('saves again to a file it opened or saved, without a dialog', async () => {
    const file = join(s.root, 'mine.json');
    savedAs(file);
    await s.invoke('project:save', req({}));
    await s.invoke('project:save', req({ path: file, text: '{"v":2}' }));
    expect(dialog.showSaveDialog).toHaveBeenCalledTimes(1);
    expect(await readFile(file, 'utf8')).toBe('{"v":2}');
  });

  it('saves to a recent project from an earlier session without a dialog', async () => {
    const file = join(s.root, 'old.json');
    s.recent.add(file);
    await s.invoke('project:save', req({ path: file }));
    expect(dialog.showSaveDialog).not.toHaveBeenCalled();
    expect(await readFile(file, 'utf8')).toBe(XOR);
  });

  it('asks (starting in its folder) before writing to a path the user never chose', async () => {
    const elsewhere = join(s.root, 'elsewhere.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await s.invoke('project:save', req({ path: elsewhere }))).toBeNull();
    expect(dialog.showSaveDialog.mock.calls[0][1]).toMatchObject({
      defaultPath: join(s.root, 'XOR.json'),
    });
    await expect(readFile(elsewhere)).rejects.toThrow();
  });

  it('Save As always asks', async () => {
    const file = join(s.root, 'mine.json');
    s.recent.add(file);
    const copy = join(s.root, 'copy.json');
    savedAs(copy);
    expect(await s.invoke('project:save', req({ path: file, saveAs: true }))).toEqual({
      path: copy,
      name: 'copy.json',
    });
    expect(await s.invoke('project:recent')).toEqual([copy, file]);
  });

  it('rejects a suggested name with folders in it', async () => {
    await expect(
      s.invokeRaw('project:save', req({ suggestedName: '../../x.json' })),
    ).rejects.toThrow('argument 1 › suggestedName: expected a file name without folders');
  });
});

describe('project:recent', () => {
  it(`persists across restarts, most recent first, at most ${MAX_RECENT}`, async () => {
    for (let i = 0; i < 12; i++) {
      savedAs(join(s.root, `p${i}.json`));
      await s.invoke('project:save', {
        path: null,
        text: '{}',
        saveAs: false,
        suggestedName: 'p.json',
      });
    }
    const list = await s.invoke('project:recent');
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toBe(join(s.root, 'p11.json'));
    expect(RecentProjects.load(join(s.paths.userData, 'recent-projects.json')).list()).toEqual(
      list,
    );
  });
});
