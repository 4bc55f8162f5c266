import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Write a file atomically: the contents go to a temporary file beside the target, which is then
 * renamed over it, so a reader (or a crash) never sees half a file. Creates the folder.
 *
 * @example writeFileAtomic('out/preds.csv', text);
 */
export function writeFileAtomic(file: string, content: Uint8Array | string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
