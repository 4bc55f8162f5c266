import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FolderFile } from '../core/export/training-folder/training-folder';
import { LabError } from '../core/util/errors';
import { writeOutput } from './weights-files';
import { describeFsError } from './errors';

/**
 * Whether an --out names a folder (a PyTorch training folder): it ends with a path separator,
 * or it is a folder that exists already.
 */
export function isFolderTarget(out: string): boolean {
  if (/[/\\]$/.test(out)) return true;
  try {
    return existsSync(out) && statSync(out).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Write each file of a folder through a temporary file and a rename, creating the folder as
 * needed: an interrupted export never leaves half a file, and files of an earlier export are
 * replaced whole.
 */
export function writeFolder(dir: string, files: readonly FolderFile[]): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new LabError('USAGE', `${dir}: cannot make the folder: ${describeFsError(e)}`, {
      file: dir,
    });
  }
  for (const f of files) writeOutput(join(dir, f.name), f.data, 'training folder file');
}
