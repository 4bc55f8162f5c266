import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

describe('export:save', () => {
  it('writes bytes where the user chose, offering the file type of the suggested name', async () => {
    const file = join(s.root, 'xor.safetensors');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
    const bytes = new Uint8Array([1, 2, 3, 250]);
    expect(
      await s.invoke('export:save', { suggestedName: 'xor.safetensors', data: bytes }),
    ).toEqual({
      path: file,
    });
    expect([...(await readFile(file))]).toEqual([1, 2, 3, 250]);
    expect(dialog.showSaveDialog.mock.calls[0][1]).toMatchObject({
      defaultPath: join(s.documentsDir, 'xor.safetensors'),
      filters: [
        { name: 'Weights (safetensors)', extensions: ['safetensors'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
  });

  it('writes text', async () => {
    const file = join(s.root, 'w.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
    await s.invoke('export:save', { suggestedName: 'w.json', data: '{"a":1}' });
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
  });

  it('returns null when cancelled', async () => {
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await s.invoke('export:save', { suggestedName: 'w.json', data: 'x' })).toBeNull();
  });

  it('rejects data that is neither bytes nor text', async () => {
    await expect(
      s.invokeRaw('export:save', { suggestedName: 'w.json', data: [1, 2, 3] }),
    ).rejects.toThrow(
      "Invalid payload for 'export:save': argument 1 › data: expected a Uint8Array or a string.",
    );
  });
});

describe('export:folder', () => {
  const files = [
    { name: 'train.py', data: 'print("train")\n' },
    { name: 'data.safetensors', data: new Uint8Array([1, 2, 3]) },
  ];

  it('creates the folder where the user chose and writes each file, leaving no temporary files', async () => {
    const dir = join(s.root, 'out', 'xor-pytorch');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: dir });
    expect(await s.invoke('export:folder', { suggestedName: 'xor-pytorch', files })).toEqual({
      path: dir,
    });
    expect(await readFile(join(dir, 'train.py'), 'utf8')).toBe('print("train")\n');
    expect([...(await readFile(join(dir, 'data.safetensors')))]).toEqual([1, 2, 3]);
    expect((await readdir(dir)).sort()).toEqual(['data.safetensors', 'train.py']);
    expect(dialog.showSaveDialog.mock.calls[0][1]).toMatchObject({
      title: 'Export PyTorch training folder',
      defaultPath: join(s.documentsDir, 'xor-pytorch'),
    });
  });

  it('writes into a folder that exists, replacing the files it exports and keeping the others', async () => {
    const dir = join(s.root, 'existing');
    await mkdir(dir);
    await writeFile(join(dir, 'train.py'), 'old');
    await writeFile(join(dir, 'trained.safetensors'), 'mine');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: dir });
    await s.invoke('export:folder', { suggestedName: 'x', files });
    expect(await readFile(join(dir, 'train.py'), 'utf8')).toBe('print("train")\n');
    expect(await readFile(join(dir, 'trained.safetensors'), 'utf8')).toBe('mine');
  });

  it('refuses a path that is a file, and writes nothing', async () => {
    const file = join(s.root, 'taken');
    await writeFile(file, 'x');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
    await expect(s.invoke('export:folder', { suggestedName: 'x', files })).rejects.toThrow(
      `Could not create the folder ${file}: a file has that name.`,
    );
    expect(await readFile(file, 'utf8')).toBe('x');
  });

  it('returns null when cancelled', async () => {
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await s.invoke('export:folder', { suggestedName: 'x', files })).toBeNull();
  });

  it('rejects file names with folders in them and names given twice, before any dialog', async () => {
    await expect(
      s.invokeRaw('export:folder', {
        suggestedName: 'x',
        files: [{ name: '../evil.py', data: '' }],
      }),
    ).rejects.toThrow('expected a file name without folders');
    await expect(
      s.invokeRaw('export:folder', {
        suggestedName: 'x',
        files: [files[0], files[0]],
      }),
    ).rejects.toThrow('expected each file name once');
    await expect(
      s.invokeRaw('export:folder', { suggestedName: 'x', files: [{ name: '..', data: '' }] }),
    ).rejects.toThrow('expected a plain file name');
    expect(dialog.showSaveDialog).not.toHaveBeenCalled();
  });
});

describe('weights:open', () => {
  it('returns the picked file as bytes', async () => {
    const file = join(s.root, 'w.safetensors');
    await writeFile(file, new Uint8Array([9, 8, 7]));
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    const got = await s.invoke('weights:open');
    expect(got).toMatchObject({ path: file, name: 'w.safetensors' });
    expect(got!.bytes).toBeInstanceOf(Uint8Array);
    expect([...got!.bytes]).toEqual([9, 8, 7]);
    expect(got!.bytes.buffer.byteLength).toBe(3);
  });

  it('returns null when cancelled', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await s.invoke('weights:open')).toBeNull();
  });
});

describe('data:openCsv', () => {
  it('returns the picked CSV as text', async () => {
    const file = join(s.root, 'd.csv');
    await writeFile(file, 'x,y\n1,2\n');
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    expect(await s.invoke('data:openCsv')).toEqual({
      path: file,
      name: 'd.csv',
      text: 'x,y\n1,2\n',
    });
  });

  it('names a file it cannot read', async () => {
    const file = join(s.root, 'missing.csv');
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    await expect(s.invoke('data:openCsv')).rejects.toThrow(`Could not read ${file}: no such file.`);
  });
});
