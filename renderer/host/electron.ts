// The Host in Electron: every call goes to the main process through the preload's `window.lab`.
import { type LabBridge, MAX_PROJECT_TEXT } from '../../electron/ipc/channels';
import type { Host } from './host';

export function createElectronHost(lab: LabBridge): Host {
  return {
    kind: 'electron',
    async openProject() {
      const f = await lab.projectOpen();
      if (!f) return null;
      return 'bytes' in f
        ? { name: f.name, bytes: f.bytes, path: f.path }
        : { name: f.name, text: f.text, path: f.path };
    },
    async openRecent(path) {
      const f = await lab.projectOpenPath(path);
      return { name: f.name, text: f.text, path: f.path };
    },
    recentProjects: () => lab.projectRecent(),
    maxProjectText: MAX_PROJECT_TEXT,
    async lastProject() {
      // The last file opened or saved; one that was moved or deleted is skipped (and forgotten).
      const [path] = await lab.projectRecent();
      if (path === undefined) return null;
      try {
        const f = await lab.projectOpenPath(path);
        return { name: f.name, path: f.path, text: f.text, dirty: false };
      } catch {
        return null;
      }
    },
    async saveProject(text, o) {
      const saved = await lab.projectSave({
        path: o.path ?? null,
        text,
        saveAs: o.saveAs,
        suggestedName: o.suggestedName,
      });
      return saved && { name: saved.name, path: saved.path };
    },
    async exportFile(suggestedName, data) {
      return (await lab.exportSave({ suggestedName, data })) !== null;
    },
    async exportFolder(suggestedName, files) {
      return (await lab.exportFolder({ suggestedName, files })) !== null;
    },
    async openWeights() {
      const f = await lab.weightsOpen();
      return f && { name: f.name, bytes: f.bytes };
    },
    async openCsv() {
      const f = await lab.dataOpenCsv();
      return f && { name: f.name, text: f.text, path: f.path };
    },
    autosave: {
      write: (text) => lab.autosaveWrite(text),
      read: () => lab.autosaveRead(),
      clear: () => lab.autosaveClear(),
    },
    listPlugins: () => lab.pluginsList(),
    pickPlugin: () => lab.pluginsPick(),
    async keepPlugin(p, { name, replaces }) {
      if (p.pick === undefined) throw new Error(`${p.name} was not picked through the app`);
      return lab.pluginsKeep({ pick: p.pick, name, replaces });
    },
    savePlugin: (name, source, replaces = []) => lab.pluginsSave({ name, source, replaces }),
    openPluginFolder: () => lab.pluginsOpenFolder(),
    onPluginsChanged: (listener) => lab.on('plugins:changed', listener),
    onMenuCommand: (listener) => lab.on('menu:command', listener),
    onOpenRecent: (listener) => lab.on('menu:openRecent', listener),
    setDirty: (dirty) => void lab.windowSetDirty(dirty),
    closeWindow: () => void lab.windowClose(),
  };
}
