// @vitest-environment happy-dom
import { writeZip } from '../../../core/io/zip';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MEMORY_BUDGET, setMemoryBudget } from '../../../core/graph/budget';
import { downloadWithLink, pickFileWithInput } from '../../../renderer/host/files';
import { SHIPPED_PLUGINS } from '../../../renderer/host/shipped-plugins';
import { createWebHost } from '../../../renderer/host/web';
import { indexedDbStorage, memoryStorage, memoryStore } from '../../../renderer/host/web-storage';

function setup(files: File[] = []) {
  const storage = memoryStorage();
  const picked: string[] = [];
  const downloads: { name: string; data: Uint8Array | string; type?: string }[] = [];
  const recent = new Map<string, string>();
  const listeners: string[] = [];
  const host = createWebHost({
    storage,
    recentStore: {
      getItem: (k) => recent.get(k) ?? null,
      setItem: (k, v) => void recent.set(k, v),
    },
    pickFile: async (accept) => {
      picked.push(accept);
      return files.shift() ?? null;
    },
    download: (name, data, type) => void downloads.push({ name, data, type }),
    shippedPlugins: [{ file: 'app:wacky.js', origin: 'app', source: 'w' }],
    window: {
      addEventListener: (t: string) => void listeners.push(`+${t}`),
      removeEventListener: (t: string) => void listeners.push(`-${t}`),
      close: () => {},
    } as never,
  });
  return { host, storage, picked, downloads, listeners };
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('web host', () => {
  it('opens a project through a file picker and remembers its name and text (not a path)', async () => {
    const { host, picked } = setup([new File(['{"a":1}'], 'xor.json')]);
    expect(await host.openProject()).toEqual({ name: 'xor.json', text: '{"a":1}' });
    expect(picked).toEqual(['.json,application/json,.onnx']);
    expect(await host.recentProjects()).toEqual(['xor.json']);
    expect(await host.openProject()).toBeNull();
    // A recent project opens again from the copy the browser kept, without a file picker.
    expect(await host.openRecent('xor.json')).toEqual({ name: 'xor.json', text: '{"a":1}' });
    expect(picked).toHaveLength(2);
    await expect(host.openRecent('other.json')).rejects.toThrow(
      'other.json is no longer kept in this browser: open it with Open…',
    );
  });

  it('keeps the last project for the next visit: its name, text and unsaved state', async () => {
    const { host, storage } = setup();
    expect(await host.lastProject()).toBeNull();
    await host.keepLastProject!({ name: 'mine.json', text: '{"b":2}', dirty: true });
    expect(await host.lastProject()).toEqual({ name: 'mine.json', text: '{"b":2}', dirty: true });
    await host.keepLastProject!({ name: null, text: '{}', dirty: false });
    expect(await host.lastProject()).toEqual({ name: null, text: '{}', dirty: false });
    // Written synchronously as the page goes away: newer than the last asynchronous write.
    host.keepLastProjectNow!({ name: 'mine.json', text: '{"b":3}', dirty: false });
    expect(await host.lastProject()).toEqual({ name: 'mine.json', text: '{"b":3}', dirty: false });
    await host.keepLastProject!({ name: 'mine.json', text: '{"b":4}', dirty: true });
    expect(await host.lastProject()).toEqual({ name: 'mine.json', text: '{"b":4}', dirty: true });
    // Something else under the key (an older or damaged record) is no last project.
    await storage.projects.set('last', '{"text":1}');
    expect((await host.lastProject())?.text).toBe('{"b":3}'); // the synchronous copy is left
  });

  it('opens an ONNX model as bytes, and does not list it as a recent project', async () => {
    const { host, picked } = setup([new File([new Uint8Array([8, 1, 2])], 'model.onnx')]);
    const opened = await host.openProject();
    expect(picked).toEqual(['.json,application/json,.onnx']);
    expect(opened).toMatchObject({ name: 'model.onnx' });
    expect([...(opened as { bytes: Uint8Array }).bytes]).toEqual([8, 1, 2]);
    expect(await host.recentProjects()).toEqual([]);
  });

  it('refuses a file larger than the memory budget, or a plugin over its limit, before reading it', async () => {
    setMemoryBudget({ bytes: 100, note: 'set by the test' });
    try {
      const big = new File(['x'.repeat(200)], 'big.csv');
      const { host, storage } = setup([big, new File(['y'.repeat(1024 * 1024 + 1)], 'huge.js')]);
      await expect(host.openCsv()).rejects.toThrow(
        'big.csv: the file is 200 bytes, over the memory budget of 100 bytes (set by the test)',
      );
      await expect(host.loadPlugin()).rejects.toThrow(
        'huge.js: the file is 1.0 MiB, over the 1.0 MiB a plugin may be',
      );
      expect(await storage.plugins.entries()).toEqual([]);
    } finally {
      setMemoryBudget(DEFAULT_MEMORY_BUDGET);
    }
  });

  it('saves and exports as downloads', async () => {
    const { host, downloads } = setup();
    expect(await host.saveProject('{}', { saveAs: false, suggestedName: 'mine.json' })).toEqual({
      name: 'mine.json',
    });
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await host.exportFile('w.safetensors', bytes)).toBe(true);
    expect(downloads).toEqual([
      { name: 'mine.json', data: '{}', type: 'application/json' },
      { name: 'w.safetensors', data: bytes, type: undefined },
    ]);
    expect(await host.recentProjects()).toEqual(['mine.json']);
  });

  it('downloads an exported folder as a .zip holding the folder', async () => {
    const { host, downloads } = setup();
    const files = [
      { name: 'train.py', data: 'print()\n' },
      { name: 'data.safetensors', data: new Uint8Array([7, 8]) },
    ];
    expect(await host.exportFolder('xor-pytorch', files)).toBe(true);
    expect(downloads).toHaveLength(1);
    expect(downloads[0].name).toBe('xor-pytorch.zip');
    expect(downloads[0].type).toBe('application/zip');
    expect(downloads[0].data).toEqual(
      writeZip([
        { name: 'xor-pytorch/train.py', data: 'print()\n' },
        { name: 'xor-pytorch/data.safetensors', data: new Uint8Array([7, 8]) },
      ]),
    );
  });

  it('keeps at most ten recent names, newest first, without repeats', async () => {
    const { host } = setup();
    for (let i = 0; i < 12; i++)
      await host.saveProject('{}', { saveAs: false, suggestedName: `p${i}.json` });
    await host.saveProject('{}', { saveAs: false, suggestedName: 'p5.json' });
    const list = await host.recentProjects();
    expect(list).toHaveLength(10);
    expect(list.slice(0, 3)).toEqual(['p5.json', 'p11.json', 'p10.json']);
  });

  it('keeps the text of the recent projects only, and the latest text of each', async () => {
    const { host, storage } = setup();
    for (let i = 0; i < 12; i++)
      await host.saveProject(`{"n":${i}}`, { saveAs: false, suggestedName: `p${i}.json` });
    await host.saveProject('{"n":"again"}', { saveAs: false, suggestedName: 'p5.json' });
    const kept = (await storage.projects.entries()).map(([k]) => k).sort();
    expect(kept).toEqual((await host.recentProjects()).map((n) => `recent:${n}`).sort());
    expect((await host.openRecent('p5.json'))?.text).toBe('{"n":"again"}');
    await expect(host.openRecent('p0.json')).rejects.toThrow(/no longer kept/);
  });

  it('reads weights as bytes and CSV as text', async () => {
    const { host, picked } = setup([
      new File([new Uint8Array([9, 8])], 'w.safetensors'),
      new File(['a,b\n1,2\n'], 'd.csv'),
    ]);
    expect(await host.openWeights()).toEqual({
      name: 'w.safetensors',
      bytes: new Uint8Array([9, 8]),
    });
    expect(await host.openCsv()).toEqual({ name: 'd.csv', text: 'a,b\n1,2\n' });
    expect(picked).toEqual(['.safetensors,.json', '.csv,text/csv']);
  });

  it('keeps the autosave in storage', async () => {
    const { host } = setup();
    expect(await host.autosave.read()).toBeNull();
    await host.autosave.write('state');
    expect(await host.autosave.read()).toBe('state');
    await host.autosave.clear();
    expect(await host.autosave.read()).toBeNull();
  });

  it('lists shipped plugins and the ones loaded by hand, which are kept and can be removed', async () => {
    const { host, storage } = setup([new File(['export default {}'], 'mine.ts')]);
    expect(await host.loadPlugin()).toEqual({
      file: 'user:mine.ts',
      origin: 'user',
      source: 'export default {}',
    });
    expect(await storage.plugins.get('mine.ts')).toBe('export default {}');
    expect((await host.listPlugins()).map((p) => p.file)).toEqual(['app:wacky.js', 'user:mine.ts']);
    await host.removePlugin!('user:mine.ts');
    expect((await host.listPlugins()).map((p) => p.file)).toEqual(['app:wacky.js']);
    expect(await host.loadPlugin()).toBeNull();
  });

  it('keeps a plugin saved from the layer editor in the browser’s storage, listed after', async () => {
    const { host, storage } = setup();
    expect(await host.savePlugin('my-layer.js', 'export default 1;')).toEqual({
      file: 'user:my-layer.js',
      origin: 'user',
      source: 'export default 1;',
    });
    await host.savePlugin('my-layer.js', 'export default 2;');
    expect(await storage.plugins.entries()).toEqual([['my-layer.js', 'export default 2;']]);
    expect((await host.listPlugins()).map((p) => p.file)).toContain('user:my-layer.js');
    await expect(host.savePlugin('big.js', 'x'.repeat(2 * 1024 * 1024))).rejects.toThrow(
      'big.js is larger than',
    );
  });

  it('asks before leaving the page only while there are unsaved changes', () => {
    const { host, listeners } = setup();
    host.setDirty(true);
    host.setDirty(true);
    host.setDirty(false);
    expect(listeners).toEqual(['+beforeunload', '-beforeunload']);
  });
});

describe('browser file helpers', () => {
  it('pickFileWithInput answers with the chosen file, or null when cancelled', async () => {
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (
      this: HTMLInputElement,
    ) {
      const file = new File(['x'], 'a.json');
      Object.defineProperty(this, 'files', { value: [file], configurable: true });
      this.dispatchEvent(new Event('change'));
    });
    const file = await pickFileWithInput('.json');
    expect(file?.name).toBe('a.json');
    expect(document.querySelector('input')).toBeNull();

    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (
      this: HTMLInputElement,
    ) {
      expect(this.accept).toBe('.csv');
      this.dispatchEvent(new Event('cancel'));
    });
    expect(await pickFileWithInput('.csv')).toBeNull();
  });

  it('downloadWithLink clicks a link to a blob named for the file', () => {
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.href, download: this.download });
    });
    downloadWithLink('net.json', '{}');
    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe('net.json');
    expect(clicked[0].href).toMatch(/^blob:/);
    expect(document.querySelector('a')).toBeNull();
  });
});

describe('web storage', () => {
  it('the memory store lists entries in name order', async () => {
    const s = memoryStore({ b: '2' });
    await s.set('a', '1');
    expect(await s.entries()).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    await s.delete('b');
    expect(await s.get('b')).toBeUndefined();
  });

  it('falls back to memory where IndexedDB is missing', async () => {
    expect(typeof indexedDB).toBe('undefined');
    const s = indexedDbStorage();
    await s.autosave.set('project', 'x');
    expect(await s.autosave.get('project')).toBe('x');
  });

  it('bundles the shipped plugins, without the API types', () => {
    expect(SHIPPED_PLUGINS.map((p) => p.file)).toEqual([
      'app:gated-sum.js',
      'app:learnable-scale.js',
      'app:prelu.js',
      'app:sigmoid-pair.js',
      'app:swish.ts',
      'app:wacky.js',
    ]);
    expect(
      SHIPPED_PLUGINS.every((p) => p.origin === 'app' && p.source.includes('export default')),
    ).toBe(true);
  });
});
