// The one map of every IPC channel: main registers handlers for `Invoke`, the preload exposes
// one named function per channel, and the renderer sees `window.lab` typed from here.
// Types only at run time, except CHANNELS (the names) and MAX_PROJECT_TEXT, so the renderer may
// import this file.

/**
 * The longest project (or autosave) text main writes: generous, but a runaway renderer cannot
 * fill the disk in one call. The renderer says so before it tries (a long run's history counts).
 */
export const MAX_PROJECT_TEXT = 64 * 1024 * 1024;

/** A file the user picked or the app wrote: its path (when the host has paths) and contents. */
export interface TextFile {
  path: string;
  name: string;
  text: string;
}

export interface BinaryFile {
  path: string;
  name: string;
  bytes: Uint8Array;
}

/** A plugin file and where it came from. */
export interface PluginSource {
  /** Stable id: 'app:wacky.js' or 'user:my-layer.ts'. */
  file: string;
  origin: 'app' | 'user';
  source: string;
}

/**
 * A plugin file the user picked and main read, not kept yet: the renderer first asks what to do
 * when its name or its layer types are taken, then answers with 'plugins:keep'.
 */
export interface PickedPlugin {
  /** Main's handle on the picked file; only the latest pick can be kept. */
  pick: string;
  /** Its file name (gated-sum.js). */
  name: string;
  source: string;
}

/** How to keep a picked plugin: under `name` (its own, or a free one), removing `replaces`. */
export interface KeepPlugin {
  pick: string;
  /** A plugin file name without folders. */
  name: string;
  /** User plugin files (names) the kept one replaces: removed once it is written. */
  replaces: string[];
}

export type MenuCommand =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'exportWeights'
  | 'importWeights'
  | 'loadPlugin'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'delete'
  | 'selectAll'
  | 'fitView'
  | 'tidyLayout'
  | 'toggleHelp'
  | 'saveAndClose';

/** Renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). */
export interface Invoke {
  /**
   * Show the Open dialog: a project (text) or an ONNX model (bytes, to import); null when
   * cancelled. Only a file that reads as a project (JSON and schema) becomes writable without a
   * dialog and joins Recent; any other text comes back too, so the renderer can list its problems.
   */
  'project:open': () => TextFile | BinaryFile | null;
  /** Open a recent project by path. */
  'project:openPath': (path: string) => TextFile;
  /** Write a project; with no path (or saveAs) show the Save dialog first. Null when cancelled. */
  'project:save': (req: {
    path: string | null;
    text: string;
    saveAs: boolean;
    suggestedName: string;
  }) => {
    path: string;
    name: string;
  } | null;
  'project:recent': () => string[];
  /** Crash safety: the last unsaved state, kept in the user data folder. */
  'autosave:write': (text: string) => void;
  'autosave:read': () => string | null;
  'autosave:clear': () => void;
  /** Save exported weights or code through the Save dialog. Null when cancelled. */
  'export:save': (req: {
    suggestedName: string;
    data: Uint8Array | string;
  }) => { path: string } | null;
  /**
   * Create a folder of exported files (a PyTorch training folder) where the user chooses, each
   * file written atomically. Null when cancelled.
   */
  'export:folder': (req: {
    suggestedName: string;
    files: { name: string; data: Uint8Array | string }[];
  }) => { path: string } | null;
  /** Pick a weights file to load. */
  'weights:open': () => BinaryFile | null;
  /** Pick a CSV data file. */
  'data:openCsv': () => TextFile | null;
  /** The shipped plugins and the user's plugin folder. */
  'plugins:list': () => PluginSource[];
  /** Pick a plugin file and read it; nothing is written yet. Null when cancelled. */
  'plugins:pick': () => PickedPlugin | null;
  /**
   * Keep the latest pick in the user's plugin folder (written atomically, under the name the
   * renderer chose after asking), removing the files it replaces.
   */
  'plugins:keep': (req: KeepPlugin) => PluginSource;
  'plugins:openFolder': () => void;
  /**
   * Write a plugin file written in the app's layer editor into the user's plugin folder
   * (atomically; replacing a file of that name), removing the user plugin files it `replaces`
   * (the renderer asked first, as for 'plugins:keep'). `name` is a plain plugin file name (.js,
   * .ts, .mjs, .mts, no folders); the text is never run in main.
   */
  'plugins:save': (req: { name: string; source: string; replaces?: string[] }) => PluginSource;
  /** Tell main whether there are unsaved changes (asked about before closing). */
  'window:setDirty': (dirty: boolean) => void;
  /** Close now, without asking again (after a save requested by 'saveAndClose'). */
  'window:close': () => void;
  'app:info': () => { version: string; platform: string; pluginFolder: string };
}

/** Main → renderer, one way (webContents.send / ipcRenderer.on). */
export interface Events {
  'menu:command': (command: MenuCommand) => void;
  /** File ▸ Open Recent ▸ <path>: open it like Open… does (after asking about unsaved changes). */
  'menu:openRecent': (path: string) => void;
  /** A file in the user's plugin folder was added or changed (source) or removed (null). */
  'plugins:changed': (change: { file: string; source: string | null }) => void;
}

export type InvokeChannel = keyof Invoke;
export type EventChannel = keyof Events;

/** Channel names, for code that needs them at run time (main's handler table, the preload). */
export const INVOKE_CHANNELS = [
  'project:open',
  'project:openPath',
  'project:save',
  'project:recent',
  'autosave:write',
  'autosave:read',
  'autosave:clear',
  'export:save',
  'export:folder',
  'weights:open',
  'data:openCsv',
  'plugins:list',
  'plugins:pick',
  'plugins:keep',
  'plugins:openFolder',
  'plugins:save',
  'window:setDirty',
  'window:close',
  'app:info',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'menu:command',
  'menu:openRecent',
  'plugins:changed',
] as const satisfies readonly EventChannel[];

/** 'project:openPath' → 'projectOpenPath': the name a channel has on `window.lab`. */
export type BridgeName<C extends string> = C extends `${infer A}:${infer B}`
  ? `${A}${Capitalize<B>}`
  : C;

export function bridgeName<C extends InvokeChannel>(channel: C): BridgeName<C> {
  const [a, b] = channel.split(':');
  return `${a}${b[0].toUpperCase()}${b.slice(1)}` as BridgeName<C>;
}

/**
 * What the preload exposes as `window.lab`: one named async function per invoke channel
 * (`lab.projectOpen()`, `lab.pluginsList()`), and `on(event, listener)` returning an unsubscribe.
 */
export type LabBridge = {
  [K in InvokeChannel as BridgeName<K>]: (
    ...args: Parameters<Invoke[K]>
  ) => Promise<ReturnType<Invoke[K]>>;
} & {
  on<K extends EventChannel>(channel: K, listener: Events[K]): () => void;
};

// Compile-time completeness: every channel of the map is in the run-time list.
type Unlisted = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
export const ALL_INVOKE_CHANNELS_LISTED: Unlisted extends never ? true : Unlisted = true;
type UnlistedEvents = Exclude<EventChannel, (typeof EVENT_CHANNELS)[number]>;
export const ALL_EVENT_CHANNELS_LISTED: UnlistedEvents extends never ? true : UnlistedEvents = true;
