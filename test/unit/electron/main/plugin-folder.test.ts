import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_PLUGIN_SOURCE_BYTES } from '../../../../core/plugins/limits';
import {
  isPluginFileName,
  keepInPluginFolder,
  listPluginFolder,
  readPickedPlugin,
  watchPluginFolder,
  type PluginChange,
  type PluginFolderWatcher,
} from '../../../../electron/main/plugin-folder';
import { pluginCodeRan, TRAP_PLUGIN } from '../trap-plugin';

let dir: string;
let watcher: PluginFolderWatcher | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-plugins-'));
});
afterEach(async () => {
  watcher?.close();
  watcher = null;
  await rm(dir, { recursive: true, force: true });
  expect(pluginCodeRan()).toBe(false);
});

describe('plugin file names', () => {
  it('are .js, .ts, .mjs and .mts modules, not declarations, docs or hidden files', () => {
    for (const name of ['wacky.js', 'swish.ts', 'a.mjs', 'b.mts']) {
      expect(isPluginFileName(name)).toBe(true);
    }
    for (const name of [
      'api.d.ts',
      'x.d.mts',
      'README.md',
      'tsconfig.json',
      '.hidden.js',
      'a.js~',
      'a.cjs',
    ]) {
      expect(isPluginFileName(name)).toBe(false);
    }
  });
});

describe('listing a plugin folder', () => {
  it('returns each plugin file with its text, by name, and skips everything else', async () => {
    await writeFile(join(dir, 'b.ts'), 'export default { type: "B" };');
    await writeFile(join(dir, 'a.js'), 'export default { type: "A" };');
    await writeFile(join(dir, 'api.d.ts'), 'export interface X {}');
    await writeFile(join(dir, 'README.md'), '# plugins');
    await mkdir(join(dir, 'folder.js'));
    expect(await listPluginFolder(dir, 'user')).toEqual([
      { file: 'user:a.js', origin: 'user', source: 'export default { type: "A" };' },
      { file: 'user:b.ts', origin: 'user', source: 'export default { type: "B" };' },
    ]);
  });

  it('has nothing in a folder that does not exist', async () => {
    expect(await listPluginFolder(join(dir, 'missing'), 'app')).toEqual([]);
  });

  it("lists the repo's shipped plugins without api.d.ts", async () => {
    const shipped = await listPluginFolder(join(import.meta.dirname, '../../../../plugins'), 'app');
    const names = shipped.map((p) => p.file);
    expect(names).toContain('app:wacky.js');
    expect(names).toContain('app:swish.ts');
    expect(names).not.toContain('app:api.d.ts');
    expect(shipped.every((p) => p.origin === 'app' && p.source.length > 0)).toBe(true);
  });

  it('reads plugin code as text and never runs it', async () => {
    await writeFile(join(dir, 'trap.js'), TRAP_PLUGIN);
    expect(await listPluginFolder(dir, 'user')).toEqual([
      { file: 'user:trap.js', origin: 'user', source: TRAP_PLUGIN },
    ]);
  });
});

describe('reading a picked plugin and keeping it in the user folder', () => {
  it('reads the picked file as text without writing anything', async () => {
    const src = join(dir, 'picked');
    await mkdir(src);
    await writeFile(join(src, 'trap.js'), TRAP_PLUGIN);
    expect(await readPickedPlugin(join(src, 'trap.js'))).toEqual({
      name: 'trap.js',
      source: TRAP_PLUGIN,
    });
    expect(await readdir(dir)).toEqual(['picked']);
  });

  it('refuses a file that is not a plugin module, or one over the size limit', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await expect(readPickedPlugin(join(dir, 'notes.txt'))).rejects.toThrow(
      'notes.txt is not a plugin file',
    );
    await writeFile(join(dir, 'huge.js'), 'x'.repeat(MAX_PLUGIN_SOURCE_BYTES + 1));
    await expect(readPickedPlugin(join(dir, 'huge.js'))).rejects.toThrow(
      'huge.js: the file is 1.0 MiB, over the 1.0 MiB a plugin may be',
    );
  });

  it('keeps the text under the chosen name, atomically, replacing one of that name', async () => {
    const dest = join(dir, 'user-plugins');
    expect(await keepInPluginFolder(dest, 'gated-sum.js', 'one')).toEqual({
      file: 'user:gated-sum.js',
      origin: 'user',
      source: 'one',
    });
    await keepInPluginFolder(dest, 'gated-sum.js', 'two');
    await keepInPluginFolder(dest, 'gated-sum-2.js', 'three');
    expect(await readFile(join(dest, 'gated-sum.js'), 'utf8')).toBe('two');
    expect(await readFile(join(dest, 'gated-sum-2.js'), 'utf8')).toBe('three');
    // No temporary file is left beside them.
    expect((await readdir(dest)).sort()).toEqual(['gated-sum-2.js', 'gated-sum.js']);
  });

  it('removes the files the kept one replaces, after writing it', async () => {
    const dest = join(dir, 'user-plugins');
    await mkdir(dest);
    await writeFile(join(dest, 'old.js'), 'old');
    await writeFile(join(dest, 'keep.js'), 'keep');
    await keepInPluginFolder(dest, 'new.js', 'new', ['old.js']);
    expect((await readdir(dest)).sort()).toEqual(['keep.js', 'new.js']);
  });

  it('refuses a name with folders or without a plugin extension, writing nothing', async () => {
    const dest = join(dir, 'user-plugins');
    await mkdir(dest);
    await writeFile(join(dir, 'outside.js'), 'mine');
    for (const [name, replaces] of [
      ['../outside.js', []],
      ['evil.sh', []],
      ['fine.js', ['../outside.js']],
    ] as const) {
      await expect(keepInPluginFolder(dest, name, 'x', replaces)).rejects.toThrow(
        'is not a plugin file',
      );
    }
    expect(await readdir(dest)).toEqual([]);
    expect(await readFile(join(dir, 'outside.js'), 'utf8')).toBe('mine');
  });
});

describe('watching the user plugin folder', () => {
  function watchInto(events: PluginChange[]) {
    watcher = watchPluginFolder(dir, (c) => events.push(c));
  }
  const until = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 20 });

  it('reports an added file with its text, a change, and a removal with null', async () => {
    const events: PluginChange[] = [];
    watchInto(events);
    await writeFile(join(dir, 'trap.js'), TRAP_PLUGIN);
    await until(() => expect(events).toEqual([{ file: 'user:trap.js', source: TRAP_PLUGIN }]));
    await writeFile(join(dir, 'trap.js'), 'export default 1;');
    await until(() => expect(events).toHaveLength(2));
    expect(events[1]).toEqual({ file: 'user:trap.js', source: 'export default 1;' });
    await rm(join(dir, 'trap.js'));
    await until(() => expect(events).toHaveLength(3));
    expect(events[2]).toEqual({ file: 'user:trap.js', source: null });
  });

  it('merges a burst of writes into one report of the final text', async () => {
    const events: PluginChange[] = [];
    watchInto(events);
    for (let i = 0; i <= 5; i++) writeFileSync(join(dir, 'burst.ts'), `export default ${i};`);
    // A second file, written after the burst, marks when the burst's report is surely in.
    writeFileSync(join(dir, 'marker.js'), 'export default 0;');
    await until(() => expect(events.map((e) => e.file)).toContain('user:marker.js'));
    expect(events.filter((e) => e.file === 'user:burst.ts')).toEqual([
      { file: 'user:burst.ts', source: 'export default 5;' },
    ]);
  });

  it('says nothing about files that are not plugins or whose text did not change', async () => {
    await writeFile(join(dir, 'same.js'), 'export default 1;');
    const events: PluginChange[] = [];
    watchInto(events);
    await writeFile(join(dir, 'same.js'), 'export default 1;');
    await writeFile(join(dir, 'notes.md'), '# notes');
    await writeFile(join(dir, 'types.d.ts'), 'export {};');
    await writeFile(join(dir, 'marker.js'), 'export default 0;');
    await until(() => expect(events).toHaveLength(1));
    expect(events).toEqual([{ file: 'user:marker.js', source: 'export default 0;' }]);
  });

  it('stops reporting once closed', async () => {
    const events: PluginChange[] = [];
    watchInto(events);
    watcher!.close();
    await writeFile(join(dir, 'late.js'), 'export default 1;');
    // Give a would-be report more than the debounce time to arrive.
    await new Promise((r) => setTimeout(r, 400));
    expect(events).toEqual([]);
  });
});
