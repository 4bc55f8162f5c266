import { readFile, writeFile } from 'node:fs/promises';
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
