// A Host whose files, dialogs and storage are in memory; tests set what the "user" picks.
import type { MenuCommand, PluginSource } from '../../../../electron/ipc/channels';
import type {
  Host,
  LastProject,
  OpenedBytes,
  OpenedText,
  PickedPlugin,
} from '../../../../renderer/host/host';

export interface FakeHost extends Host {
  /** What the next openProject/openCsv dialog returns (null: cancelled). */
  nextOpen: OpenedText | OpenedBytes | null;
  nextCsv: OpenedText | null;
  nextWeights: { name: string; bytes: Uint8Array } | null;
  /** What the next plugin pick returns (null: cancelled). */
  nextPlugin: PickedPlugin | null;
  /** Every keepPlugin call, in order. */
  keptPlugins: { name: string; replaces: string[] }[];
  /** What saveProject answers (null: cancelled); the path is kept. */
  saveAnswer: { name: string; path?: string } | null;
  plugins: PluginSource[];
  saved: { text: string; o: { path?: string; saveAs: boolean; suggestedName: string } }[];
  exported: { name: string; data: Uint8Array | string }[];
  /** Folders exported through exportFolder, with their files. */
  exportedFolders: { name: string; files: { name: string; data: Uint8Array | string }[] }[];
  autosaved: string | null;
  autosaveWrites: number;
  dirtyCalls: boolean[];
  recent: string[];
  /** What lastProject answers at start (null: nothing kept). */
  last: LastProject | null;
  closed: number;
  emitPluginsChanged(change: { file: string; source: string | null }): void;
  emitMenu(command: MenuCommand): void;
}

export function fakeHost(): FakeHost {
  const pluginListeners = new Set<(c: { file: string; source: string | null }) => void>();
  const menuListeners = new Set<(c: MenuCommand) => void>();
  const h: FakeHost = {
    kind: 'web',
    nextOpen: null,
    nextCsv: null,
    nextWeights: null,
    nextPlugin: null,
    keptPlugins: [],
    saveAnswer: { name: 'saved.json', path: '/projects/saved.json' },
    plugins: [],
    saved: [],
    exported: [],
    exportedFolders: [],
    autosaved: null,
    autosaveWrites: 0,
    dirtyCalls: [],
    recent: [],
    last: null,
    closed: 0,
    openProject: async () => h.nextOpen,
    openRecent: async () => (h.nextOpen && 'text' in h.nextOpen ? h.nextOpen : null),
    recentProjects: async () => h.recent.slice(),
    lastProject: async () => h.last,
    async saveProject(text, o) {
      h.saved.push({ text, o });
      if (h.saveAnswer) h.recent = [h.saveAnswer.path ?? h.saveAnswer.name, ...h.recent];
      return h.saveAnswer;
    },
    async exportFile(name, data) {
      h.exported.push({ name, data });
      return true;
    },
    async exportFolder(name, files) {
      h.exportedFolders.push({ name, files });
      return true;
    },
    openWeights: async () => h.nextWeights,
    openCsv: async () => h.nextCsv,
    autosave: {
      async write(text) {
        h.autosaved = text;
        h.autosaveWrites++;
      },
      read: async () => h.autosaved,
      async clear() {
        h.autosaved = null;
      },
    },
    listPlugins: async () => h.plugins.slice(),
    pickPlugin: async () => h.nextPlugin,
    async keepPlugin(p, { name, replaces }) {
      h.keptPlugins.push({ name, replaces });
      const kept: PluginSource = { file: `user:${name}`, origin: 'user', source: p.source };
      const gone = new Set([kept.file, ...replaces.map((n) => `user:${n}`)]);
      h.plugins = [...h.plugins.filter((x) => !gone.has(x.file)), kept];
      return kept;
    },
    async savePlugin(name, source, replaces = []) {
      const p = { file: `user:${name}`, origin: 'user' as const, source };
      const gone = new Set([p.file, ...replaces.map((n) => `user:${n}`)]);
      h.plugins = [...h.plugins.filter((x) => !gone.has(x.file)), p];
      return p;
    },
    onPluginsChanged(l) {
      pluginListeners.add(l);
      return () => pluginListeners.delete(l);
    },
    onMenuCommand(l) {
      menuListeners.add(l);
      return () => menuListeners.delete(l);
    },
    onOpenRecent: () => () => {},
    setDirty: (d) => void h.dirtyCalls.push(d),
    closeWindow: () => void h.closed++,
    emitPluginsChanged: (c) => pluginListeners.forEach((l) => l(c)),
    emitMenu: (c) => menuListeners.forEach((l) => l(c)),
  };
  return h;
}
