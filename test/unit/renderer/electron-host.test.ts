import { describe, expect, it } from 'vitest';
import type { LabBridge } from '../../../electron/ipc/channels';
import { createElectronHost } from '../../../renderer/host/electron';

function fakeLab() {
  const calls: [string, unknown[]][] = [];
  const events = new Map<string, (...a: unknown[]) => void>();
  const answers: Record<string, unknown> = {
    projectOpen: { path: '/p/a.json', name: 'a.json', text: '{}' },
    projectOpenPath: { path: '/p/b.json', name: 'b.json', text: '[]' },
    projectSave: { path: '/p/c.json', name: 'c.json' },
    projectRecent: ['/p/a.json'],
    exportSave: null,
    exportFolder: { path: '/docs/xor-pytorch' },
    weightsOpen: { path: '/w', name: 'w.safetensors', bytes: new Uint8Array([1]) },
    dataOpenCsv: null,
    autosaveRead: 'saved',
    pluginsList: [{ file: 'app:wacky.js', origin: 'app', source: 's' }],
    pluginsPick: { pick: 'p1', name: 'mine.js', source: 'm' },
    pluginsKeep: { file: 'user:mine-2.js', origin: 'user', source: 'm' },
  };
  const lab = new Proxy(
    {},
    {
      get(_t, name: string) {
        if (name === 'on') {
          return (channel: string, listener: (...a: unknown[]) => void) => {
            events.set(channel, listener);
            return () => events.delete(channel);
          };
        }
        return async (...args: unknown[]) => {
          calls.push([name, args]);
          return answers[name] ?? null;
        };
      },
    },
  ) as LabBridge;
  return { lab, calls, events };
}

describe('electron host', () => {
  it('maps every host call to its window.lab function', async () => {
    const { lab, calls } = fakeLab();
    const host = createElectronHost(lab);
    expect(host.kind).toBe('electron');
    expect(await host.openProject()).toEqual({ name: 'a.json', text: '{}', path: '/p/a.json' });
    expect(await host.openRecent('/p/b.json')).toEqual({
      name: 'b.json',
      text: '[]',
      path: '/p/b.json',
    });
    expect(await host.saveProject('{}', { saveAs: true, suggestedName: 'x.json' })).toEqual({
      name: 'c.json',
      path: '/p/c.json',
    });
    expect(await host.exportFile('w.safetensors', new Uint8Array([1]))).toBe(false);
    const files = [{ name: 'train.py', data: 'print()' }];
    expect(await host.exportFolder('xor-pytorch', files)).toBe(true);
    expect(await host.openCsv()).toBeNull();
    expect(await host.autosave.read()).toBe('saved');
    await host.autosave.write('t');
    host.setDirty(true);
    expect(calls.map(([n]) => n)).toEqual([
      'projectOpen',
      'projectOpenPath',
      'projectSave',
      'exportSave',
      'exportFolder',
      'dataOpenCsv',
      'autosaveRead',
      'autosaveWrite',
      'windowSetDirty',
    ]);
    expect(calls[2][1]).toEqual([
      { path: null, text: '{}', saveAs: true, suggestedName: 'x.json' },
    ]);
    expect(calls[4][1]).toEqual([{ suggestedName: 'xor-pytorch', files }]);
  });

  it('picks a plugin, then keeps it by main’s handle under the chosen name', async () => {
    const { lab, calls } = fakeLab();
    const host = createElectronHost(lab);
    const picked = await host.pickPlugin();
    expect(picked).toEqual({ pick: 'p1', name: 'mine.js', source: 'm' });
    expect(await host.keepPlugin(picked!, { name: 'mine-2.js', replaces: ['old.js'] })).toEqual({
      file: 'user:mine-2.js',
      origin: 'user',
      source: 'm',
    });
    expect(calls).toEqual([
      ['pluginsPick', []],
      ['pluginsKeep', [{ pick: 'p1', name: 'mine-2.js', replaces: ['old.js'] }]],
    ]);
    await expect(
      host.keepPlugin({ name: 'x.js', source: 'x' }, { name: 'x.js', replaces: [] }),
    ).rejects.toThrow('x.js was not picked through the app');
  });

  it('passes an opened ONNX model on as bytes', async () => {
    const { lab } = fakeLab();
    const bytes = new Uint8Array([8, 1]);
    const host = createElectronHost({
      ...lab,
      projectOpen: async () => ({ path: '/m/model.onnx', name: 'model.onnx', bytes }),
    } as LabBridge);
    expect(await host.openProject()).toEqual({ name: 'model.onnx', bytes, path: '/m/model.onnx' });
  });

  it('passes menu commands, Open Recent and plugin folder changes on', () => {
    const { lab, events } = fakeLab();
    const host = createElectronHost(lab);
    const seen: unknown[] = [];
    host.onMenuCommand((c) => seen.push(c));
    host.onOpenRecent((p) => seen.push(p));
    const off = host.onPluginsChanged((c) => seen.push(c));
    events.get('menu:command')!('undo');
    events.get('menu:openRecent')!('/p/a.json');
    events.get('plugins:changed')!({ file: 'user:a.js', source: null });
    off();
    expect(events.has('plugins:changed')).toBe(false);
    expect(seen).toEqual(['undo', '/p/a.json', { file: 'user:a.js', source: null }]);
  });

  it('reopens the last file at start: the first recent project, none when it is gone', async () => {
    const { lab, calls } = fakeLab();
    const host = createElectronHost(lab);
    expect(host.keepLastProject).toBeUndefined(); // the files and the autosave are its memory
    expect(await host.lastProject()).toEqual({
      name: 'b.json',
      path: '/p/b.json',
      text: '[]',
      dirty: false,
    });
    expect(calls).toEqual([
      ['projectRecent', []],
      ['projectOpenPath', ['/p/a.json']],
    ]);
    const gone = createElectronHost(
      new Proxy(lab, {
        get: (t, name: string) =>
          name === 'projectOpenPath'
            ? async () => {
                throw new Error('/p/a.json: the file does not exist');
              }
            : (t as never)[name],
      }),
    );
    expect(await gone.lastProject()).toBeNull();
    const none = createElectronHost(
      new Proxy(lab, {
        get: (t, name: string) => (name === 'projectRecent' ? async () => [] : (t as never)[name]),
      }),
    );
    expect(await none.lastProject()).toBeNull();
  });
});
