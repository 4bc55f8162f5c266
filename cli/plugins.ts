import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../core/graph/schema';
import type { LayerRegistry } from '../core/layers/registry';
import { PluginCatalog, type PluginStatus } from '../core/plugins/catalog';
import { MAX_PLUGIN_SOURCE_BYTES } from '../core/plugins/limits';
import type { PluginLayerDefinition } from '../core/plugins/validate';
import { LabError } from '../core/util/errors';
import type { OptionSpec, ParsedArgs } from './args';
import { listOption } from './args';
import { describeFsError } from './errors';
import { evaluatePluginModule } from './plugin-module';
import { checkWarnings } from './plugin-warnings';

export { evaluatePluginModule } from './plugin-module';
export { checkWarnings } from './plugin-warnings';

/** A plugin file as the user named it (`label`) and where it is on disk. */
export interface PluginFile {
  label: string;
  path: string;
  /** Where it was named, for messages: `project.json: plugins[0]`. */
  from?: string;
}

/** The options of every command that opens a project: more plugins, and consent to some. */
export const PLUGIN_OPTIONS: Record<string, OptionSpec> = {
  plugin: { kind: 'string', value: 'FILE', multiple: true, description: 'load a layer plugin' },
  'allow-plugin': {
    kind: 'string',
    value: 'FILE',
    multiple: true,
    description:
      "let the project load this plugin from outside its folder and the shipped plugins (the project's code then runs)",
  },
};

/** The plugin files of a run, from a command's arguments (PLUGIN_OPTIONS). */
export function pluginFilesOf(
  project: Project,
  projectFile: string,
  args: ParsedArgs,
): PluginFile[] {
  return pluginFiles(
    project,
    projectFile,
    listOption(args, 'plugin'),
    listOption(args, 'allow-plugin'),
  );
}

/**
 * The plugin files of a run: the project's `plugins` (relative to the project file), then the
 * ones given with --plugin (relative to the working directory). A project runs no code from
 * elsewhere without consent: a plugin it names outside its own folder and the shipped plugins
 * (after following links) is refused unless `allowed` (--allow-plugin) names that file.
 */
export function pluginFiles(
  project: Project,
  projectFile: string,
  extra: string[],
  allowed: string[] = [],
): PluginFile[] {
  const base = dirname(resolve(projectFile));
  const own = project.plugins.map((p, i) => ({
    label: p,
    path: resolvePluginPath(p, base),
    from: `${projectFile}: plugins[${i}]`,
  }));
  refuseForeignPlugins(own, projectFile, allowed);
  return [...own, ...extra.map((p) => ({ label: p, path: resolve(p) }))];
}

function refuseForeignPlugins(files: PluginFile[], projectFile: string, allowed: string[]): void {
  const homes = [dirname(resolve(projectFile)), SHIPPED].map(realOrSelf);
  const consented = new Set(allowed.map((a) => fileId(resolve(a))));
  const foreign = files.filter((f) => {
    if (!existsSync(f.path)) return false; // nothing runs; it fails later as "no such file"
    const real = realOrSelf(f.path);
    if (homes.some((h) => real.startsWith(h.endsWith(sep) ? h : h + sep))) return false;
    return !consented.has(fileId(f.path));
  });
  if (foreign.length === 0) return;
  const shown = foreign.map((f) => relative(process.cwd(), f.path) || f.path);
  const problems = foreign.map(
    (f) => `${f.from}: ${f.label} is ${realOrSelf(f.path)}, outside the project's folder`,
  );
  throw new LabError(
    'PLUGIN',
    `${projectFile}: names ${foreign.length === 1 ? 'a plugin' : `${foreign.length} plugins`} outside its folder and the shipped plugins (${foreign.map((f) => f.label).join(', ')}); a project from elsewhere runs no code without consent: if you trust ${foreign.length === 1 ? 'it' : 'them'}, run again with ${shown.map((s) => `--allow-plugin ${s}`).join(' ')}`,
    { file: projectFile, path: 'plugins', plugin: foreign[0].label },
    problems,
  );
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** The same file however it is named (links, ../): device and inode. */
function fileId(p: string): string {
  try {
    const s = statSync(p);
    return `${s.dev}:${s.ino}`;
  } catch {
    return resolve(p);
  }
}

/** The app's own plugins folder (the shipped examples). */
const SHIPPED = fileURLToPath(new URL('../plugins/', import.meta.url));

/**
 * A project's plugin entry: relative to the project file; a bare file name that is not there
 * but is one of the shipped plugins (the app writes the names of the plugins a project uses)
 * is taken from the app's plugins folder.
 */
function resolvePluginPath(p: string, base: string): string {
  if (isAbsolute(p)) return p;
  const local = resolve(base, p);
  if (existsSync(local)) return local;
  const name = basename(p);
  const shipped = join(SHIPPED, name);
  return p === name || p === `./${name}` ? (existsSync(shipped) ? shipped : local) : local;
}

export interface LoadedPlugins {
  catalog: PluginCatalog;
  /** Built-ins plus every plugin layer. */
  registry: LayerRegistry;
  statuses: PluginStatus[];
}

/**
 * Load plugin files the way the app's training worker does: the file's text through
 * pluginSourceToJs, evaluated as an ES module, validated and gradient-checked by a
 * PluginCatalog. A file that cannot be used is bad input (a LabError naming it, and the line and
 * column of a syntax error); a layer whose load-time gradient check fails is only reported
 * through `warn`, one line per layer, and stays usable. The same file named twice (in the
 * project and with --plugin) is loaded once.
 *
 * @example const { registry } = await loadPlugins(pluginFiles(project, file, []), console.error);
 */
export async function loadPlugins(
  files: PluginFile[],
  warn: (line: string) => void = () => {},
): Promise<LoadedPlugins> {
  const catalog = new PluginCatalog(evaluatePluginModule);
  const seen = new Set<string>();
  const statuses: PluginStatus[] = [];
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const status = await catalog.load(file.label, readPlugin(file));
    if (!status.ok) throw brokenError(file, status);
    statuses.push(status);
    for (const line of checkWarnings(status)) warn(line);
  }
  return { catalog, registry: catalog.registry(), statuses };
}

/**
 * A registry with the built-ins and every plugin's layers (for train and info). Failed
 * load-time gradient checks are warnings on stderr.
 */
export async function loadRegistry(
  files: PluginFile[],
  warn: (line: string) => void = (line) => void process.stderr.write(`${line}\n`),
): Promise<LayerRegistry> {
  return (await loadPlugins(files, warn)).registry;
}

/**
 * One plugin file's layer definitions, loaded and validated as the app loads them (for
 * gradcheck, which prints the full check itself, so no warnings here).
 */
export async function importPlugin(file: PluginFile): Promise<PluginLayerDefinition[]> {
  const { registry, statuses } = await loadPlugins([file]);
  return statuses[0].layers.map((l) => registry.get(l.type)!.def as PluginLayerDefinition);
}

function readPlugin(file: PluginFile): string {
  const fail = (why: string) =>
    new LabError('PLUGIN', `${prefix(file)}${file.label}: cannot load the plugin: ${why}`, {
      plugin: file.label,
      file: file.label,
    });
  if (!existsSync(file.path)) throw fail(`no such file (${file.path})`);
  // Not read at all when far too big (the catalog refuses anything over the limit anyway).
  const size = statSync(file.path).size;
  if (size > 4 * MAX_PLUGIN_SOURCE_BYTES) {
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
    throw fail(
      `the file is ${mb(size)}, more than a plugin may be (${mb(MAX_PLUGIN_SOURCE_BYTES)})`,
    );
  }
  try {
    return readFileSync(file.path, 'utf8');
  } catch (e) {
    throw fail(describeFsError(e));
  }
}

// The catalog's message already starts with the file (and line:column for a syntax error).
function brokenError(file: PluginFile, status: PluginStatus): LabError {
  const p = status.error!;
  return new LabError('PLUGIN', `${prefix(file)}${p.message}`, {
    plugin: file.label,
    file: file.label,
    line: p.line,
    column: p.column,
    path: p.field,
    phase: p.phase,
  });
}

function prefix(file: PluginFile): string {
  return file.from ? `${file.from}: ` : '';
}
