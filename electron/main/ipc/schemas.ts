// Argument schemas shared by several handlers.
import { z } from 'zod';
import { MAX_PROJECT_TEXT } from '../../ipc/channels';

/** Projects and autosaves: generous, but a runaway renderer cannot fill the disk in one call. */
export const MAX_TEXT = MAX_PROJECT_TEXT;

export const noArgs = z.tuple([]);

/** A suggested file name for a Save dialog. */
export const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[/\\]/.test(s), 'expected a file name without folders');
