// The one way the command line and the desktop app write a file: to a temporary file beside the
// target, flushed to the disk, then renamed over it. A reader, a crash or a full disk never
// leaves half a file behind: the target holds either its old contents or all of the new.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary file beside `file`: hidden, and unique to this process and call. */
function tempBeside(file: string): string {
  const unique = `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(file), `.${basename(file)}.${unique}.tmp`);
}

/** A file that is replaced keeps its permissions (a script stays executable). */
function modeOf(file: string): number {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return 0o666;
  }
}

/**
 * Write a file atomically; creates its folder. Throws Node's error (ENOSPC, EACCES, EROFS, …)
 * with the target untouched and no temporary file left.
 *
 * @example writeFileAtomic('out/preds.csv', text);
 */
export function writeFileAtomic(file: string, content: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = tempBeside(file);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', modeOf(file));
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
}

/** The same without blocking the thread (the desktop app's main process). */
export async function writeFileAtomicAsync(
  file: string,
  content: Uint8Array | string,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempBeside(file);
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o666,
  );
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (e) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw e;
  }
}
