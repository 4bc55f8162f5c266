import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LabError } from '../core/util/errors';
import { describeFsError } from './errors';

/**
 * Write a file atomically: the contents go to a temporary file beside the target, which is then
 * renamed over it, so a reader (or a crash) never sees half a file. Creates the folder. With
 * `what` (the project, the weights, …) a failure is bad input naming the file and what it was.
 *
 * @example writeFileAtomic('out/preds.csv', text);
 */
export function writeFileAtomic(file: string, content: Uint8Array | string, what?: string): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    if (what === undefined) throw e;
    throw new LabError('USAGE', `${file}: cannot write the ${what}: ${describeFsError(e)}`, {
      file,
    });
  }
}
