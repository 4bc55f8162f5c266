import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { MAX_PLUGIN_SOURCE_BYTES } from '../../../../../core/plugins/limits';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dialog, resetElectron, shell } from '../../fake-electron';
import { pluginCodeRan, TRAP_PLUGIN } from '../../trap-plugin';
import { setupIpc, type IpcSetup } from './setup';

vi.mock('electron', () => import('../../fake-electron'));

let s: IpcSetup;
beforeEach(async () => {
  resetElectron();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  s = await setupIpc();
});
afterEach(async () => {
  await s.cleanup();
  expect(pluginCodeRan()).toBe(false);
});

describe('plugins:list', () => {
  it('lists the shipped plugins, then the user folder (created if missing)', async () => {
    await writeFile(join(s.paths.shippedPlugins, 'wacky.js'), 'export default 1;');
    await writeFile(join(s.paths.shippedPlugins, 'api.d.ts'), 'export {};');
    await writeFile(join(s.paths.shippedPlugins, 'README.md'), '# guide');
    expect(await s.invoke('plugins:list')).toEqual([
      { file: 'app:wacky.js', origin: 'app', source: 'export default 1;' },
    ]);
    expect((await stat(s.paths.userPlugins)).isDirectory()).toBe(true);
    await writeFile(join(s.paths.userPlugins, 'mine.ts'), 'export default 2;');
    expect(await s.invoke('plugins:list')).toEqual([
      { file: 'app:wacky.js', origin: 'app', source: 'export default 1;' },
      { file: 'user:mine.ts', origin: 'user', source: 'export default 2;' },
    ]);
  });

  it('passes plugin code on as text without running it', async () => {
    await mkdir(s.paths.userPlugins, { recursive: true });
    await writeFile(join(s.paths.userPlugins, 'trap.mjs'), TRAP_PLUGIN);
    expect(await s.invoke('plugins:list')).toEqual([
      { file: 'user:trap.mjs', origin: 'user', source: TRAP_PLUGIN },
    ]);
  });
});

describe('plugins:pick and plugins:keep', () => {
  const pickFile = (path: string) =>
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [path] });

  it('pick reads the picked file and writes nothing; keep copies it in under its name, unrun', async () => {
    const picked = join(s.root, 'trap.js');
    await writeFile(picked, TRAP_PLUGIN);
    pickFile(picked);
    const p = await s.invoke('plugins:pick');
    expect(p).toEqual({ pick: expect.any(String), name: 'trap.js', source: TRAP_PLUGIN });
    expect(dialog.showOpenDialog.mock.calls[0][1]).toMatchObject({
      filters: [{ name: 'Layer plugin', extensions: ['js', 'ts', 'mjs', 'mts'] }],
    });
    await mkdir(s.paths.userPlugins, { recursive: true });
    expect(await readdir(s.paths.userPlugins)).toEqual([]);

    expect(
      await s.invoke('plugins:keep', { pick: p!.pick, name: 'trap.js', replaces: [] }),
    ).toEqual({
      file: 'user:trap.js',
      origin: 'user',
      source: TRAP_PLUGIN,
    });
    expect(await readFile(join(s.paths.userPlugins, 'trap.js'), 'utf8')).toBe(TRAP_PLUGIN);
  });

  it('keep writes the text main read at the pick, under a free name (Keep both)', async () => {
    await mkdir(s.paths.userPlugins, { recursive: true });
    await writeFile(join(s.paths.userPlugins, 'gated-sum.js'), 'old');
    const picked = join(s.root, 'gated-sum.js');
    await writeFile(picked, 'new');
    pickFile(picked);
    const p = (await s.invoke('plugins:pick'))!;
    await writeFile(picked, 'changed after the user was asked');
    await s.invoke('plugins:keep', { pick: p.pick, name: 'gated-sum-2.js', replaces: [] });
    expect(await readFile(join(s.paths.userPlugins, 'gated-sum.js'), 'utf8')).toBe('old');
    expect(await readFile(join(s.paths.userPlugins, 'gated-sum-2.js'), 'utf8')).toBe('new');
  });

  it('keep replaces a file of the same name and removes the files it replaces (Replace)', async () => {
    await mkdir(s.paths.userPlugins, { recursive: true });
    await writeFile(join(s.paths.userPlugins, 'gated-sum.js'), 'old');
    await writeFile(join(s.paths.userPlugins, 'gated-sum-v1.js'), 'same type');
    const picked = join(s.root, 'gated-sum.js');
    await writeFile(picked, 'new');
    pickFile(picked);
    const p = (await s.invoke('plugins:pick'))!;
    await s.invoke('plugins:keep', {
      pick: p.pick,
      name: 'gated-sum.js',
      replaces: ['gated-sum-v1.js'],
    });
    expect(await readdir(s.paths.userPlugins)).toEqual(['gated-sum.js']);
    expect(await readFile(join(s.paths.userPlugins, 'gated-sum.js'), 'utf8')).toBe('new');
  });

  it('keeps only the latest pick, once: an old or unknown handle is refused', async () => {
    const picked = join(s.root, 'a.js');
    await writeFile(picked, 'a');
    pickFile(picked);
    const first = (await s.invoke('plugins:pick'))!;
    pickFile(picked);
    const second = (await s.invoke('plugins:pick'))!;
    expect(second.pick).not.toBe(first.pick);
    await expect(
      s.invoke('plugins:keep', { pick: first.pick, name: 'a.js', replaces: [] }),
    ).rejects.toThrow('That plugin file is no longer picked: load it again.');
    await s.invoke('plugins:keep', { pick: second.pick, name: 'a.js', replaces: [] });
    await expect(
      s.invoke('plugins:keep', { pick: second.pick, name: 'b.js', replaces: [] }),
    ).rejects.toThrow('no longer picked');
    expect(await readdir(s.paths.userPlugins)).toEqual(['a.js']);
  });

  it('refuses names with folders in the payload, before anything is written', async () => {
    const picked = join(s.root, 'a.js');
    await writeFile(picked, 'a');
    pickFile(picked);
    const p = (await s.invoke('plugins:pick'))!;
    await expect(
      s.invoke('plugins:keep', { pick: p.pick, name: '../../evil.js', replaces: [] }),
    ).rejects.toThrow("Invalid payload for 'plugins:keep'");
    await expect(
      s.invoke('plugins:keep', {
        pick: p.pick,
        name: 'a.js',
        replaces: ['../recent-projects.json'],
      }),
    ).rejects.toThrow("Invalid payload for 'plugins:keep'");
    await expect(
      s.invoke('plugins:keep', { pick: p.pick, name: 'a.sh', replaces: [] }),
    ).rejects.toThrow('a.sh is not a plugin file');
    await mkdir(s.paths.userPlugins, { recursive: true });
    expect(await readdir(s.paths.userPlugins)).toEqual([]);
  });

  it('pick returns null when cancelled', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await s.invoke('plugins:pick')).toBeNull();
  });

  it('pick refuses a file that is not a plugin module, naming it', async () => {
    const picked = join(s.root, 'notes.txt');
    await writeFile(picked, 'hello');
    pickFile(picked);
    await expect(s.invoke('plugins:pick')).rejects.toThrow(
      `Could not load plugin ${picked}: notes.txt is not a plugin file`,
    );
  });
});

describe('plugins:openFolder', () => {
  it('opens the user plugin folder in the file manager', async () => {
    await s.invoke('plugins:openFolder');
    expect(shell.openPath).toHaveBeenCalledWith(s.paths.userPlugins);
    expect((await stat(s.paths.userPlugins)).isDirectory()).toBe(true);
  });

  it('reports a file manager that failed', async () => {
    shell.openPath.mockResolvedValueOnce('no file manager');
    await expect(s.invoke('plugins:openFolder')).rejects.toThrow('no file manager');
  });
});

describe('plugins:save', () => {
  it('writes the layer editor’s file into the user folder atomically, unrun', async () => {
    const saved = await s.invoke('plugins:save', { name: 'trap.js', source: TRAP_PLUGIN });
    expect(saved).toEqual({ file: 'user:trap.js', origin: 'user', source: TRAP_PLUGIN });
    expect(await readFile(join(s.paths.userPlugins, 'trap.js'), 'utf8')).toBe(TRAP_PLUGIN);
    // Replacing it leaves no temporary file beside it.
    await s.invoke('plugins:save', { name: 'trap.js', source: 'export default 2;' });
    expect(await readFile(join(s.paths.userPlugins, 'trap.js'), 'utf8')).toBe('export default 2;');
    expect(await readdir(s.paths.userPlugins)).toEqual(['trap.js']);
  });

  it('removes the files it replaces (the user answered Replace), never outside the folder', async () => {
    await s.invoke('plugins:save', { name: 'old.js', source: 'export default 1;' });
    await s.invoke('plugins:save', {
      name: 'new.js',
      source: 'export default 2;',
      replaces: ['old.js'],
    });
    expect(await readdir(s.paths.userPlugins)).toEqual(['new.js']);
    await expect(
      s.invokeRaw('plugins:save', { name: 'x.js', source: 'x', replaces: ['../new.js'] }),
    ).rejects.toThrow(/plugins:save/);
    expect(await readdir(s.paths.userPlugins)).toEqual(['new.js']);
  });

  it('refuses names with folders, hidden or declaration files, other extensions, huge texts', async () => {
    for (const name of ['../evil.js', 'sub/x.js', '.hidden.js', 'api.d.ts', 'notes.txt', '']) {
      await expect(s.invokeRaw('plugins:save', { name, source: 'x' })).rejects.toThrow(
        /plugins:save/,
      );
    }
    await expect(
      s.invokeRaw('plugins:save', {
        name: 'big.js',
        source: 'x'.repeat(MAX_PLUGIN_SOURCE_BYTES + 1),
      }),
    ).rejects.toThrow(/plugins:save/);
    await expect(
      s.invokeRaw('plugins:save', { name: 'x.js', source: 'x', path: '/etc/passwd' }),
    ).rejects.toThrow(/plugins:save/);
    await mkdir(s.paths.userPlugins, { recursive: true });
    expect(await readdir(s.paths.userPlugins)).toEqual([]);
  });
});
