// The Host in a browser: file inputs instead of dialogs, downloads instead of saving to a path,
// IndexedDB for plugins, the autosave, the last project and the recent projects' files,
// localStorage for the names of recent projects.
import type { MenuCommand, PluginSource } from '../../electron/ipc/channels';
import { writeZip } from '../../core/io/zip';
import {
  type Download,
  type PickFile,
  downloadWithLink,
  pickFileWithInput,
  readBytes,
  readText,
} from './files';
import type { Host, LastProject, OpenedText } from './host';
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
const LAST_KEY = 'last';
/** The synchronous copy written as the page goes away (localStorage). */
const LAST_NOW_KEY = 'backprop-lab.last-project';
const LAST_FORMAT = 'backprop-lab.last-project';
const recentKey = (name: string) => `recent:${name}`;

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
  /** Put a project first in the recent list, keeping its text to open it again from there. */
  const remember = async (name: string, text: string) => {
    const before = recent();
    const list = [name, ...before.filter((n) => n !== name)].slice(0, RECENT_MAX);
    recentStore?.setItem(RECENT_KEY, JSON.stringify(list));
    await o.storage.projects.set(recentKey(name), text);
    for (const gone of before.filter((n) => !list.includes(n))) {
      await o.storage.projects.delete(recentKey(gone));
    }
  };
  const readLastNow = () => {
    try {
      const t = recentStore?.getItem(LAST_NOW_KEY);
      return t ? readLast(t) : null;
    } catch {
      return null; // storage blocked by the browser's settings
    }
  };
  const openText = async (accept: string): Promise<OpenedText | null> => {
    const file = await pick(accept);
    return file ? { name: file.name, text: await readText(file) } : null;
  };

  return {
    kind: 'web',
    async openProject() {
      const file = await pick('.json,application/json,.onnx');
      if (!file) return null;
      // A model is imported into a new project: it is not a project to open again by name.
      if (/\.onnx$/i.test(file.name)) return { name: file.name, bytes: await readBytes(file) };
      const opened = { name: file.name, text: await readText(file) };
      await remember(opened.name, opened.text);
      return opened;
    },
    // A page cannot read a file by its name again: it opens the copy kept when it was last
    // opened or saved here.
    async openRecent(name) {
      const text = await o.storage.projects.get(recentKey(name));
      if (text === undefined) {
        throw new Error(`${name} is no longer kept in this browser: open it with Open…`);
      }
      await remember(name, text);
      return { name, text };
    },
    recentProjects: async () => recent(),
    async lastProject() {
      const text = await o.storage.projects.get(LAST_KEY);
      const kept = text === undefined ? null : readLast(text);
      // The copy written as the page went away is newer when the last asynchronous write did
      // not finish.
      const now = readLastNow();
      const newest = now && (!kept || now.at > kept.at) ? now : kept;
      return newest && { name: newest.name, text: newest.text, dirty: newest.dirty };
    },
    async keepLastProject(p) {
      const record = JSON.stringify({ format: LAST_FORMAT, at: stamp(), ...p });
      await o.storage.projects.set(LAST_KEY, record);
    },
    keepLastProjectNow(p) {
      try {
        recentStore?.setItem(
          LAST_NOW_KEY,
          JSON.stringify({ format: LAST_FORMAT, at: stamp(), ...p }),
        );
      } catch {
        // Too large for localStorage: the last asynchronous write stands.
      }
    },
    async saveProject(text, { suggestedName }) {
      download(suggestedName, text, 'application/json');
      await remember(suggestedName, text);
      return { name: suggestedName };
    },
    async exportFile(suggestedName, data) {
      download(suggestedName, data, typeof data === 'string' ? 'text/plain' : undefined);
      return true;
    },
    async exportFolder(suggestedName, files) {
      const zip = writeZip(
        files.map((f) => ({ name: `${suggestedName}/${f.name}`, data: f.data })),
      );
      download(`${suggestedName}.zip`, zip, 'application/zip');
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
    async pickPlugin() {
      const file = await pick('.js,.mjs,.ts,.mts,text/javascript');
      if (!file) return null;
      const source = await readText(file, {
        bytes: MAX_PLUGIN_SOURCE_BYTES,
        what: `the ${formatBudgetBytes(MAX_PLUGIN_SOURCE_BYTES)} a plugin may be`,
      });
      return { name: file.name, source };
    },
    async keepPlugin(p, { name, replaces }) {
      await o.storage.plugins.set(name, p.source);
      for (const gone of replaces) if (gone !== name) await o.storage.plugins.delete(gone);
      return { file: `user:${name}`, origin: 'user', source: p.source };
    },
    async savePlugin(name, source, replaces = []) {
      if (source.length > MAX_PLUGIN_SOURCE_BYTES)
        throw new Error(
          `${name} is larger than the ${formatBudgetBytes(MAX_PLUGIN_SOURCE_BYTES)} a plugin may be`,
        );
      await o.storage.plugins.set(name, source);
      for (const gone of replaces) if (gone !== name) await o.storage.plugins.delete(gone);
      return { file: `user:${name}`, origin: 'user', source };
    },
    async removePlugin(file) {
      if (file.startsWith('user:')) await o.storage.plugins.delete(file.slice('user:'.length));
    },
    // Files kept in IndexedDB change only through keepPlugin, savePlugin and removePlugin, which answer directly.
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

let lastStamp = 0;
/** When a record was written: milliseconds, strictly increasing within a page. */
function stamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}

function readLast(text: string): (LastProject & { at: number }) | null {
  try {
    const v = JSON.parse(text) as Partial<LastProject> & { format?: unknown; at?: unknown };
    if (v.format !== LAST_FORMAT || typeof v.text !== 'string') return null;
    return {
      name: typeof v.name === 'string' ? v.name : null,
      text: v.text,
      dirty: v.dirty === true,
      at: typeof v.at === 'number' ? v.at : 0,
    };
  } catch {
    return null;
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked by the browser's privacy settings
  }
}
