// Plugin files on disk: the app's shipped plugins and the user's plugin folder. Main only ever
// reads them as text and hands the text to the renderer; plugin code runs in the training
// worker, never here.
import { watch, readdirSync, readFileSync, statSync, type FSWatcher } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { formatBudgetBytes } from '../../core/graph/budget';
import { MAX_PLUGIN_SOURCE_BYTES } from '../../core/plugins/limits';
import type { PluginSource } from '../ipc/channels';
import { writeFileAtomic } from './fs-util';
import { log } from './log';

export const PLUGIN_EXTENSIONS = ['.js', '.ts', '.mjs', '.mts'] as const;

/** A plugin module by its name: .js, .ts, .mjs or .mts, not a declaration file, not hidden. */
export function isPluginFileName(name: string): boolean {
  if (name.startsWith('.') || /\.d\.m?ts$/.test(name)) return false;
  return (PLUGIN_EXTENSIONS as readonly string[]).includes(extname(name));
}

export function pluginId(origin: PluginSource['origin'], name: string): string {
  return `${origin}:${name}`;
}

/** Every plugin file in a folder, by name; an absent folder has none. */
export async function listPluginFolder(
  dir: string,
  origin: PluginSource['origin'],
): Promise<PluginSource[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: PluginSource[] = [];
  for (const name of names.filter(isPluginFileName).sort()) {
    const source = await readPlugin(join(dir, name));
    if (source !== null) out.push({ file: pluginId(origin, name), origin, source });
  }
  return out;
}

/** A plugin file the user picked, read as text: its name and source. Nothing is written. */
export async function readPickedPlugin(src: string): Promise<{ name: string; source: string }> {
  const name = basename(src);
  checkPluginFileName(name);
  const { size } = await stat(src);
  if (size > MAX_PLUGIN_SOURCE_BYTES) {
    throw new Error(
      `${name}: the file is ${formatBudgetBytes(size)}, over the ${formatBudgetBytes(MAX_PLUGIN_SOURCE_BYTES)} a plugin may be`,
    );
  }
  return { name, source: await readFile(src, 'utf8') };
}

/**
 * Keeps a plugin's text in the user's folder under `name` (written atomically: a plugin that was
 * there is replaced whole or not at all), then removes the files it `replaces`.
 */
export async function keepInPluginFolder(
  dir: string,
  name: string,
  source: string,
  replaces: readonly string[] = [],
): Promise<PluginSource> {
  for (const n of [name, ...replaces]) checkPluginFileName(n);
  await writeFileAtomic(join(dir, name), source);
  for (const gone of replaces) if (gone !== name) await rm(join(dir, gone), { force: true });
  return { file: pluginId('user', name), origin: 'user', source };
}

/** A plugin file name: no folders, a plugin module's extension. */
function checkPluginFileName(name: string): void {
  if (/[/\\]/.test(name) || name === '..' || !isPluginFileName(name)) {
    throw new Error(
      `${name} is not a plugin file: a plugin is a .js, .ts, .mjs or .mts module (not a .d.ts)`,
    );
  }
}

export interface PluginFolderWatcher {
  close(): void;
}

export type PluginChange = { file: string; source: string | null };

/**
 * Watches the user's plugin folder. Bursts of events for one file (editors write in several
 * steps) are merged over `debounceMs`; a change is reported only when the file's text differs
 * from what was last reported (null: the file is gone).
 */
export function watchPluginFolder(
  dir: string,
  onChange: (change: PluginChange) => void,
  debounceMs = 150,
): PluginFolderWatcher {
  const known = new Map<string, string>();
  for (const name of safeReaddir(dir).filter(isPluginFileName)) {
    const source = readPluginSync(join(dir, name));
    if (source !== null) known.set(name, source);
  }
  const timers = new Map<string, NodeJS.Timeout>();
  let queue = Promise.resolve();
  let closed = false;

  const flush = async (name: string) => {
    const source = await readPlugin(join(dir, name));
    if (closed || source === (known.get(name) ?? null)) return;
    if (source === null) known.delete(name);
    else known.set(name, source);
    onChange({ file: pluginId('user', name), source });
  };
  const schedule = (name: string) => {
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        // One file at a time, in order: a read must not overtake the one before it.
        queue = queue
          .then(() => flush(name))
          .catch((e) => log.error(`could not read plugin ${name}`, e));
      }, debounceMs),
    );
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(dir, (_event, filename) => {
      if (closed) return;
      if (filename) {
        const name = basename(filename.toString());
        if (isPluginFileName(name)) schedule(name);
        return;
      }
      // Some platforms do not say which file changed: look at all of them.
      for (const name of new Set([...known.keys(), ...safeReaddir(dir)])) {
        if (isPluginFileName(name)) schedule(name);
      }
    });
  } catch (e) {
    log.error(`cannot watch the plugin folder ${dir}`, e);
    return { close() {} };
  }
  watcher.on('error', (e) => log.error(`stopped watching the plugin folder ${dir}`, e));

  return {
    close() {
      closed = true;
      watcher.close();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

async function readPlugin(path: string): Promise<string | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function readPluginSync(path: string): string | null {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : null;
  } catch {
    return null;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
