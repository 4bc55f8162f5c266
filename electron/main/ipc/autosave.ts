// Crash safety: the renderer writes the unsaved project here as it changes and clears it after a
// save, so a crash loses nothing. One file in the user data folder.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs-util';
import type { MainContext } from './context';
import type { HandlerTable } from './handle';
import { MAX_TEXT, noArgs } from './schemas';

export const AUTOSAVE_FILE = 'autosave.json';

export function autosaveHandlers(
  ctx: Pick<MainContext, 'paths'>,
): HandlerTable<'autosave:write' | 'autosave:read' | 'autosave:clear'> {
  const file = join(ctx.paths.userData, AUTOSAVE_FILE);
  return {
    'autosave:write': {
      args: z.tuple([z.string().max(MAX_TEXT)]),
      run: (text) => writeFileAtomic(file, text),
    },
    'autosave:read': {
      args: noArgs,
      async run() {
        try {
          return await readFile(file, 'utf8');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
          throw e;
        }
      },
    },
    'autosave:clear': {
      args: noArgs,
      run: () => rm(file, { force: true }),
    },
  };
}
