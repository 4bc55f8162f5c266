// The Host in a browser: file inputs instead of dialogs, downloads instead of saving to a path,
// IndexedDB for plugins and the autosave, localStorage for the names of recent projects.
import type { MenuCommand, PluginSource } from '../../electron/ipc/channels';
import {
  type Download,
  type PickFile,
  downloadWithLink,
  pickFileWithInput,
  readBytes,
  readText,
} from './files';
import type { Host, OpenedText } from './host';
import { formatBudgetBytes } from '../../core/graph/budget';
import { MAX_PLUGIN_SOURCE_BYTES } from '../../core/plugins/limits';
import type { WebStorage } from './web-storage';

export interface WebHostOptions {
  storage: WebStorage;
  /** Where the names of recent projects are kept (localStorage by default). */
  recentStore?: Pick<Storage, 'getItem' | 'setItem'> | null;
  pickFile?: PickFile;
  download?: Download;
  /** The plugins shipped with the app. */
  shippedPlugins?: PluginSource[];
  /** The window, for the unsaved-changes prompt on leaving the page. */
  window?: Pick<Window, 'addEventListener' | 'removeEventListener' | 'close'>;
}

const RECENT_KEY = 'backprop-lab.recent';
const RECENT_MAX = 10;
const AUTOSAVE_KEY = 'project';

export function createWebHost(o: WebHostOptions): Host {
  const pick = o.pickFile ?? pickFileWithInput;
  const download = o.download ?? downloadWithLink;
  const recentStore = o.recentStore === undefined ? safeLocalStorage() : o.recentStore;
  const win = o.window ?? (typeof window === 'undefined' ? null : window);
  const shipped = o.shippedPlugins ?? [];
  let dirty = false;
  const beforeUnload = (e: BeforeUnloadEvent) => {
    e.preventDefault();
    e.returnValue = '';
  };

  const recent = (): string[] => {
    try {
      const v: unknown = JSON.parse(recentStore?.getItem(RECENT_KEY) ?? '[]');
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  const remember = (name: string) => {
    const list = [name, ...recent().filter((n) => n !== name)].slice(0, RECENT_MAX);
    recentStore?.setItem(RECENT_KEY, JSON.stringify(list));
  };
  const openText = async (accept: string): Promise<OpenedText | null> => {
    const file = await pick(accept);
    return file ? { name: file.name, text: await readText(file) } : null;
  };

  return {
    kind: 'web',
    async openProject() {
      const opened = await openText('.json,application/json');
      if (opened) remember(opened.name);
      return opened;
    },
    // A browser page cannot open a file by its name again: the user picks it.
    openRecent: async () => null,
    recentProjects: async () => recent(),
    async saveProject(text, { suggestedName }) {
      download(suggestedName, text, 'application/json');
      remember(suggestedName);
      return { name: suggestedName };
    },
    async exportFile(suggestedName, data) {
      download(suggestedName, data, typeof data === 'string' ? 'text/plain' : undefined);
      return true;
    },
    async openWeights() {
      const file = await pick('.safetensors,.json');
      return file ? { name: file.name, bytes: await readBytes(file) } : null;
    },
    openCsv: () => openText('.csv,text/csv'),
    autosave: {
      write: (text) => o.storage.autosave.set(AUTOSAVE_KEY, text),
      read: async () => (await o.storage.autosave.get(AUTOSAVE_KEY)) ?? null,
      clear: () => o.storage.autosave.delete(AUTOSAVE_KEY),
    },
    async listPlugins() {
      const user = (await o.storage.plugins.entries()).map(([name, source]) => ({
        file: `user:${name}`,
        origin: 'user' as const,
        source,
      }));
      return [...shipped, ...user];
    },
    async loadPlugin() {
      const file = await pick('.js,.mjs,.ts,.mts,text/javascript');
      if (!file) return null;
      const source = await readText(file, {
        bytes: MAX_PLUGIN_SOURCE_BYTES,
        what: `the ${formatBudgetBytes(MAX_PLUGIN_SOURCE_BYTES)} a plugin may be`,
      });
      await o.storage.plugins.set(file.name, source);
      return { file: `user:${file.name}`, origin: 'user', source };
    },
    async removePlugin(file) {
      if (file.startsWith('user:')) await o.storage.plugins.delete(file.slice('user:'.length));
    },
    // Files kept in IndexedDB change only through loadPlugin/removePlugin, which answer directly.
    onPluginsChanged: () => () => {},
    // No menu in a browser page: shortcuts are the page's own.
    onMenuCommand: (_listener: (command: MenuCommand) => void) => () => {},
    onOpenRecent: (_listener: (path: string) => void) => () => {},
    setDirty(value) {
      if (value === dirty || !win) return;
      dirty = value;
      if (dirty) win.addEventListener('beforeunload', beforeUnload);
      else win.removeEventListener('beforeunload', beforeUnload);
    },
    closeWindow: () => win?.close(),
  };
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked by the browser's privacy settings
  }
}
