// Picks the host: Electron's preload exposes `window.lab`; anything else is a browser.
import { createElectronHost } from './electron';
import type { Host } from './host';
import { SHIPPED_PLUGINS } from './shipped-plugins';
import { createWebHost } from './web';
import { indexedDbStorage } from './web-storage';

export type { Host, OpenedBytes, OpenedText } from './host';

export function createHost(): Host {
  if (window.lab) return createElectronHost(window.lab);
  return createWebHost({ storage: indexedDbStorage(), shippedPlugins: SHIPPED_PLUGINS });
}
