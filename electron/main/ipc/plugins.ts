// The plugin folders. Plugin files are read as text and passed on; main never runs them.
import { mkdir } from 'node:fs/promises';
import { shell } from 'electron';
import { LabError } from '../../../core/util/errors';
import { copyIntoPluginFolder, listPluginFolder, PLUGIN_EXTENSIONS } from '../plugin-folder';
import { pickFile, type MainContext } from './context';
import type { HandlerTable } from './handle';
import { noArgs } from './schemas';

export function pluginHandlers(
  ctx: MainContext,
): HandlerTable<'plugins:list' | 'plugins:load' | 'plugins:openFolder'> {
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
