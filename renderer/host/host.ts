// The one place that knows whether the app runs in Electron or in a browser. Everything else
// in the renderer talks to a Host.
import type { MenuCommand, PluginSource } from '../../electron/ipc/channels';

export interface OpenedText {
  name: string;
  text: string;
  /** A file system path in Electron; absent in the browser. */
  path?: string;
}

/** One file of an exported folder: a plain name (no folders) and its contents. */
export interface ExportedFile {
  name: string;
  data: Uint8Array | string;
}

/** A model file (.onnx) picked in the Open dialog: read as bytes, imported as a project. */
export interface OpenedBytes {
  name: string;
  bytes: Uint8Array;
  path?: string;
}

/** The project that was open when the app last closed or crashed. */
export interface LastProject {
  /** Its file name (xor.json), or null when it was never saved. */
  name: string | null;
  path?: string;
  /** The project file's text, with its training. */
  text: string;
  /** It had unsaved changes. */
  dirty: boolean;
}

/** A plugin file the user picked, read but not kept yet (Host.keepPlugin keeps it). */
export interface PickedPlugin {
  /** Its file name (gated-sum.js). */
  name: string;
  source: string;
  /** Electron: main's handle on the pick (main writes the text it read, not the renderer's). */
  pick?: string;
}

export interface Host {
  kind: 'electron' | 'web';
  /**
   * Show an open dialog (Electron) or a file input (web) for a project (.json, as text) or an
   * ONNX model (.onnx, as bytes). Null when cancelled.
   */
  openProject(): Promise<OpenedText | OpenedBytes | null>;
  /** Open a recent project: a path (Electron) or a name the browser kept (web). */
  openRecent(path: string): Promise<OpenedText | null>;
  /** Recent projects, most recent first: paths (Electron) or file names (web). */
  recentProjects(): Promise<string[]>;
  /** The project to open at start: the one kept by keepLastProject, or the last file (Electron). */
  lastProject(): Promise<LastProject | null>;
  /**
   * Keep the open project for the next start (web: in the browser's storage). Absent where the
   * host reopens the last file instead (Electron, whose autosave keeps unsaved changes).
   */
  keepLastProject?: (p: LastProject) => Promise<void>;
  /**
   * The same, at once and synchronously, for a page that is going away (a reload, a closed
   * tab), where an asynchronous write may not finish. Best effort: a project too large for the
   * synchronous store is left to keepLastProject.
   */
  keepLastProjectNow?: (p: LastProject) => void;
  /** The longest project text the host writes (Electron's limit); unset: no limit. */
  maxProjectText?: number;
  /** Save; `saveAs` or no known path asks where. Null when cancelled. */
  saveProject(
    text: string,
    o: { path?: string; saveAs: boolean; suggestedName: string },
  ): Promise<{ name: string; path?: string } | null>;
  /** Save an exported file (weights, code) through a dialog or as a download. False when cancelled. */
  exportFile(suggestedName: string, data: Uint8Array | string): Promise<boolean>;
  /**
   * Save a folder of exported files (a PyTorch training folder): Electron asks where to create
   * it and writes each file atomically; a browser downloads `<name>.zip` holding the folder.
   * False when cancelled.
   */
  exportFolder(suggestedName: string, files: ExportedFile[]): Promise<boolean>;
  openWeights(): Promise<{ name: string; bytes: Uint8Array } | null>;
  openCsv(): Promise<OpenedText | null>;
  /** Crash safety: the last state of the project, kept until it is saved. */
  autosave: {
    write(text: string): Promise<void>;
    read(): Promise<string | null>;
    clear(): Promise<void>;
  };
  /** Shipped plugins, the user's plugin folder (Electron) or plugins kept in IndexedDB (web). */
  listPlugins(): Promise<PluginSource[]>;
  /** Pick a plugin file and read it; nothing is kept yet. Null when cancelled. */
  pickPlugin(): Promise<PickedPlugin | null>;
  /**
   * Keep a picked plugin under `name` (its own, or a free one when the user keeps both),
   * written to the plugin folder (atomically) or stored in IndexedDB; the user plugins it
   * `replaces` (file names) are removed.
   */
  keepPlugin(p: PickedPlugin, o: { name: string; replaces: string[] }): Promise<PluginSource>;
  /**
   * Keep a plugin written in the layer editor under a plain file name (`my-layer.js`): written
   * atomically into the user's plugin folder (Electron) or kept in IndexedDB (web), replacing a
   * file of that name; the user plugins it `replaces` (file names, asked about first) are
   * removed. Its id is `user:<name>`.
   */
  savePlugin(name: string, source: string, replaces?: string[]): Promise<PluginSource>;
  /** Electron only; undefined in the browser. */
  openPluginFolder?: () => Promise<void>;
  /** Forget a plugin loaded by hand (web only: in Electron, delete it from the plugin folder). */
  removePlugin?: (file: string) => Promise<void>;
  onPluginsChanged(listener: (change: { file: string; source: string | null }) => void): () => void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** File › Open Recent › path in Electron's menu (never in a browser). */
  onOpenRecent(listener: (path: string) => void): () => void;
  setDirty(dirty: boolean): void;
  /** Close after a save the host asked for ('saveAndClose'). */
  closeWindow(): void;
}
