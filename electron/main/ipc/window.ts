import { z } from 'zod';
import type { MainContext } from './context';
import type { HandlerTable } from './handle';
import { noArgs } from './schemas';

export function windowHandlers(
  ctx: MainContext,
): HandlerTable<'window:setDirty' | 'window:close' | 'app:info'> {
  return {
    'window:setDirty': {
      args: z.tuple([z.boolean()]),
      run(dirty) {
        ctx.closeGuard()?.setDirty(dirty);
      },
    },
    'window:close': {
      args: noArgs,
      run() {
        ctx.closeGuard()?.closeNow();
      },
    },
    'app:info': {
      args: noArgs,
      run: () => ({
        version: ctx.appVersion,
        platform: ctx.platform,
        pluginFolder: ctx.paths.userPlugins,
      }),
    },
  };
}
