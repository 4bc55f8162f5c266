import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LabError } from '../core/util/errors';
import { describeFsError } from './errors';

/**
 * Write a file through a temporary file beside it and a rename, creating its folder as
 * needed: an interrupted write never leaves half a file, and an earlier file is replaced whole.
 * A failure is bad input naming the file and `what` it was.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, what: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new LabError('USAGE', `${path}: cannot write the ${what}: ${describeFsError(e)}`, {
      file: path,
    });
  }
}
