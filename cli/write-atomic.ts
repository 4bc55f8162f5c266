import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Write through a temporary file beside the target and a rename, so that a crash or a full disk
 * never leaves half a file behind (and `train p.json --resume --save p.json` is safe). Creates
 * the folder as needed.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
