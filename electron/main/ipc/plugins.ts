// The plugin folders. Plugin files are read as text and passed on; main never runs them.
// Loading one is two steps: 'plugins:pick' shows the dialog and reads the file, the renderer asks
// the user what to do when its name or its layer types are taken, and 'plugins:keep' writes it
// under the name chosen. Main keeps the picked text itself, so the renderer can name where a
// pick goes but cannot put other text into the folder.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { shell } from 'electron';
import { z } from 'zod';
import { MAX_PLUGIN_SOURCE_BYTES } from '../../../core/plugins/limits';
import { LabError } from '../../../core/util/errors';
import { fsReason } from '../fs-util';
import {
  isPluginFileName,
  keepInPluginFolder,
  listPluginFolder,
  PLUGIN_EXTENSIONS,
  readPickedPlugin,
} from '../plugin-folder';
import { pickFile, type MainContext } from './context';
import type { HandlerTable } from './handle';
import { fileName, noArgs } from './schemas';

const keepArgs = z.tuple([
  z.object({
    pick: z.string().min(1).max(100),
    name: fileName,
    replaces: z.array(fileName).max(100),
  }),
]);

/** A file the layer editor saves: a plain plugin file name and its text, within a plugin's size. */
const savedPlugin = z.tuple([
  z
    .object({
      name: fileName.refine(
        isPluginFileName,
        'expected a plugin file name: .js, .ts, .mjs or .mts, not hidden, not a .d.ts',
      ),
      source: z.string().max(MAX_PLUGIN_SOURCE_BYTES),
      replaces: z.array(fileName).max(100).optional(),
    })
    .strict(),
]);

export function pluginHandlers(
  ctx: MainContext,
): HandlerTable<
  'plugins:list' | 'plugins:pick' | 'plugins:keep' | 'plugins:openFolder' | 'plugins:save'
> {
  const { shippedPlugins, userPlugins } = ctx.paths;
  /** The latest pick, until it is kept: a new pick forgets the one before. */
  let picked: { pick: string; path: string; source: string } | null = null;
  return {
    'plugins:list': {
      args: noArgs,
      async run() {
        await mkdir(userPlugins, { recursive: true });
        return [
          ...(await listPluginFolder(shippedPlugins, 'app')),
          ...(await listPluginFolder(userPlugins, 'user')),
        ];
      },
    },
    'plugins:pick': {
      args: noArgs,
      async run() {
        picked = null;
        const path = await pickFile(ctx, {
          title: 'Load plugin',
          filters: [{ name: 'Layer plugin', extensions: PLUGIN_EXTENSIONS.map((e) => e.slice(1)) }],
        });
        if (path === null) return null;
        let file;
        try {
          file = await readPickedPlugin(path);
        } catch (e) {
          throw new LabError('PLUGIN', `Could not load plugin ${path}: ${(e as Error).message}`, {
            file: path,
          });
        }
        picked = { pick: randomUUID(), path, source: file.source };
        return { pick: picked.pick, name: file.name, source: file.source };
      },
    },
    'plugins:keep': {
      args: keepArgs,
      async run({ pick, name, replaces }) {
        if (picked === null || picked.pick !== pick) {
          throw new LabError('USAGE', 'That plugin file is no longer picked: load it again.');
        }
        const { path, source } = picked;
        try {
          const kept = await keepInPluginFolder(userPlugins, name, source, replaces);
          picked = null;
          return kept;
        } catch (e) {
          throw new LabError('PLUGIN', `Could not load plugin ${path}: ${(e as Error).message}`, {
            file: path,
          });
        }
      },
    },
    'plugins:save': {
      args: savedPlugin,
      async run({ name, source, replaces = [] }) {
        const path = join(userPlugins, name);
        try {
          await mkdir(userPlugins, { recursive: true });
          return await keepInPluginFolder(userPlugins, name, source, replaces);
        } catch (e) {
          throw new LabError('USAGE', `Could not save the plugin ${path}: ${fsReason(e)}.`, {
            file: path,
          });
        }
      },
    },
    'plugins:openFolder': {
      args: noArgs,
      async run() {
        await mkdir(userPlugins, { recursive: true });
        const error = await shell.openPath(userPlugins);
        if (error) throw new LabError('USAGE', `Could not open ${userPlugins}: ${error}`);
      },
    },
  };
}
