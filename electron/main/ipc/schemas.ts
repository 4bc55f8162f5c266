// Argument schemas shared by several handlers.
import { z } from 'zod';

/** Projects and autosaves: generous, but a runaway renderer cannot fill the disk in one call. */
export const MAX_TEXT = 64 * 1024 * 1024;

export const noArgs = z.tuple([]);

/** A suggested file name for a Save dialog. */
export const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[/\\]/.test(s), 'expected a file name without folders');
