// The plugin folders. Plugin files are read as text and passed on; main never runs them.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { shell } from 'electron';
import { z } from 'zod';
import { MAX_PLUGIN_SOURCE_BYTES } from '../../../core/plugins/limits';
import { LabError } from '../../../core/util/errors';
import { fsReason, writeFileAtomic } from '../fs-util';
import {
  copyIntoPluginFolder,
  isPluginFileName,
  listPluginFolder,
  PLUGIN_EXTENSIONS,
  pluginId,
} from '../plugin-folder';
import { pickFile, type MainContext } from './context';
import type { HandlerTable } from './handle';
import { fileName, noArgs } from './schemas';

/** A file the layer editor saves: a plain plugin file name and its text, within a plugin's size. */
const savedPlugin = z.tuple([
  z
    .object({
      name: fileName.refine(
        isPluginFileName,
        'expected a plugin file name: .js, .ts, .mjs or .mts, not hidden, not a .d.ts',
      ),
      source: z.string().max(MAX_PLUGIN_SOURCE_BYTES),
    })
    .strict(),
]);

export function pluginHandlers(
  ctx: MainContext,
): HandlerTable<'plugins:list' | 'plugins:load' | 'plugins:openFolder' | 'plugins:save'> {
  const { shippedPlugins, userPlugins } = ctx.paths;
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
    'plugins:load': {
      args: noArgs,
      async run() {
        const path = await pickFile(ctx, {
          title: 'Load plugin',
          filters: [{ name: 'Layer plugin', extensions: PLUGIN_EXTENSIONS.map((e) => e.slice(1)) }],
        });
        if (path === null) return null;
        try {
          return await copyIntoPluginFolder(path, userPlugins);
        } catch (e) {
          throw new LabError('PLUGIN', `Could not load plugin ${path}: ${(e as Error).message}`, {
            file: path,
          });
        }
      },
    },
    'plugins:save': {
      args: savedPlugin,
      async run({ name, source }) {
        const path = join(userPlugins, name);
        try {
          await writeFileAtomic(path, source);
        } catch (e) {
          throw new LabError('USAGE', `Could not save the plugin ${path}: ${fsReason(e)}.`, {
            file: path,
          });
        }
        return { file: pluginId('user', name), origin: 'user', source };
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
