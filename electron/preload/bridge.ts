// `window.lab`: one named function per invoke channel and `on` for the listed events. The
// renderer never sees ipcRenderer, and event listeners never see the IPC event (its `sender`
// is ipcRenderer itself).
import {
  bridgeName,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventChannel,
  type LabBridge,
} from '../ipc/channels';

export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: BridgeIpc): LabBridge {
  const bridge: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    bridge[bridgeName(channel)] = (...args: unknown[]) => ipc.invoke(channel, ...args);
  }
  bridge.on = (channel: EventChannel, listener: (...args: unknown[]) => void) => {
    if (!(EVENT_CHANNELS as readonly string[]).includes(channel)) {
      throw new Error(
        `lab.on: unknown event '${String(channel)}' (events: ${EVENT_CHANNELS.join(', ')})`,
      );
    }
    if (typeof listener !== 'function') throw new Error('lab.on: the listener must be a function');
    const forward = (_event: unknown, ...args: unknown[]) => listener(...args);
    ipc.on(channel, forward);
    return () => {
      ipc.removeListener(channel, forward);
    };
  };
  return Object.freeze(bridge) as LabBridge;
}
