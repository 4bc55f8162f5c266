import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { bridgeName, INVOKE_CHANNELS, type EventChannel } from '../../../../electron/ipc/channels';
import { createBridge } from '../../../../electron/preload/bridge';

function fakeIpc() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, { invoke: vi.fn(async (..._a: unknown[]) => 'answer') });
}

describe('the preload bridge', () => {
  it('has exactly one named function per invoke channel, and on', () => {
    const bridge = createBridge(fakeIpc());
    expect(Object.keys(bridge).sort()).toEqual(
      [...INVOKE_CHANNELS.map((c) => bridgeName(c)), 'on'].sort(),
    );
    expect(Object.keys(bridge)).toContain('projectOpenPath');
    expect(Object.keys(bridge)).toContain('pluginsOpenFolder');
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('forwards each function to ipcRenderer.invoke on its channel with its arguments', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    for (const channel of INVOKE_CHANNELS) {
      ipc.invoke.mockClear();
      await expect(bridge[bridgeName(channel)]('a', 2)).resolves.toBe('answer');
      expect(ipc.invoke).toHaveBeenCalledWith(channel, 'a', 2);
    }
  });

  it('types the functions from the channel map', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    await bridge.projectSave({ path: null, text: '{}', saveAs: false, suggestedName: 'a.json' });
    await bridge.windowSetDirty(true);
    expect(ipc.invoke.mock.calls).toEqual([
      ['project:save', { path: null, text: '{}', saveAs: false, suggestedName: 'a.json' }],
      ['window:setDirty', true],
    ]);
  });

  it('is frozen and does not hand out ipcRenderer', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.values(bridge)).not.toContain(ipc);
  });

  it('delivers listed events without the IPC event, until unsubscribed', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    const off = bridge.on('menu:command', listener);
    ipc.emit('menu:command', { sender: ipc }, 'save');
    expect(listener).toHaveBeenCalledWith('save');
    off();
    ipc.emit('menu:command', { sender: ipc }, 'open');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ipc.listenerCount('menu:command')).toBe(0);
  });

  it('subscribes to every listed event', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const changes = vi.fn();
    bridge.on('plugins:changed', changes);
    bridge.on('menu:openRecent', vi.fn());
    ipc.emit('plugins:changed', {}, { file: 'user:a.js', source: null });
    expect(changes).toHaveBeenCalledWith({ file: 'user:a.js', source: null });
  });

  it('refuses events that are not listed', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    expect(() => bridge.on('project:open' as EventChannel, vi.fn())).toThrow(
      "lab.on: unknown event 'project:open'",
    );
    expect(() => bridge.on('ELECTRON_BROWSER_REQUIRE' as EventChannel, vi.fn())).toThrow(
      'unknown event',
    );
    expect(ipc.eventNames()).toEqual([]);
  });

  it('refuses a listener that is not a function', () => {
    const bridge = createBridge(fakeIpc());
    expect(() => bridge.on('menu:command', 'alert(1)' as never)).toThrow('must be a function');
  });
});
