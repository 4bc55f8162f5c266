import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Project } from '../core/graph/schema';
import { LayerRegistry } from '../core/layers/registry';
import { definitionsFromModule, type PluginLayerDefinition } from '../core/plugins/validate';
import { LabError, isLabError } from '../core/util/errors';

/** A plugin file as the user named it (`label`) and where it is on disk. */
export interface PluginFile {
  label: string;
  path: string;
  /** Where it was named, for messages: `project.json: plugins[0]`. */
  from?: string;
}

/**
 * The plugin files of a run: the project's `plugins` (relative to the project file), then the
 * ones given with --plugin (relative to the working directory).
 */
export function pluginFiles(project: Project, projectFile: string, extra: string[]): PluginFile[] {
  const base = dirname(resolve(projectFile));
  return [
    ...project.plugins.map((p, i) => ({
      label: p,
      path: isAbsolute(p) ? p : resolve(base, p),
      from: `${projectFile}: plugins[${i}]`,
    })),
    ...extra.map((p) => ({ label: p, path: resolve(p) })),
  ];
}

/**
 * Import a plugin module (`.js`, `.mjs` or `.ts`; tsx compiles TypeScript) and return the layer
 * definitions its default export holds.
 */
export async function importPlugin(file: PluginFile): Promise<PluginLayerDefinition[]> {
  const fail = (why: string) =>
    new LabError('PLUGIN', `${file.from ? `${file.from}: ` : ''}${file.label}: ${why}`, {
      plugin: file.label,
      file: file.label,
    });
  if (!existsSync(file.path)) throw fail(`cannot load the plugin: no such file (${file.path})`);
  let mod: { default?: unknown };
  try {
    // Not a plain import(): on Node 20 a .js or .ts file outside a "type": "module" package,
    // imported from the CLI's TypeScript, fails with ERR_REQUIRE_CYCLE_MODULE. tsx's own
    // import decides the module format itself.
    mod = (await tsImport(pathToFileURL(file.path).href, {
      parentURL: import.meta.url,
      tsconfig: false,
    })) as { default?: unknown };
  } catch (e) {
    throw fail(`cannot load the plugin: ${loadMessage(e)}`);
  }
  try {
    // The same checks as the app: type name, build/forward, params specs, unknown keys.
    return definitionsFromModule({ default: unwrapDefault(mod.default) }, file.label);
  } catch (e) {
    if (isLabError(e) && file.from)
      throw new LabError(e.code, `${file.from}: ${e.message}`, e.place);
    throw e;
  }
}

/** A registry with the built-ins and every plugin's layers, each registered under its file. */
export async function loadRegistry(files: PluginFile[]): Promise<LayerRegistry> {
  const registry = new LayerRegistry();
  for (const file of files) {
    // A clashing type name throws here, naming both files.
    for (const def of await importPlugin(file)) registry.add(def, file.label);
  }
  return registry;
}

// Outside a "type": "module" package tsx compiles the plugin to CommonJS, so the module's
// default export arrives as `{ __esModule: true, default: … }`.
function unwrapDefault(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as { __esModule?: unknown; default?: unknown };
    if (v.__esModule === true && Object.hasOwn(v, 'default')) return v.default;
  }
  return value;
}

// Compile errors from tsx start with a line like "Transform failed with 1 error:"; the place
// and the reason are on the next one.
function loadMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const lines = msg
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > 1 && /failed with \d+ errors?:$/.test(lines[0])) return lines[1];
  return lines[0] ?? 'unknown error';
}
