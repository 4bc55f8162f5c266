// The one atomic writer of the command line and the desktop app: the new contents appear whole
// or not at all, a replaced file keeps its permissions, and a failure leaves nothing behind.
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicAsync } from '../../../node/atomic-write';
import { describeFsError } from '../../../node/fs-errors';

const dir = mkdtempSync(join(tmpdir(), 'bl-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['writeFileAtomic', async (f: string, c: string | Uint8Array) => writeFileAtomic(f, c)],
  ['writeFileAtomicAsync', writeFileAtomicAsync],
])('%s', (name, write) => {
  it('writes text and bytes, creating the folder, and replaces a file keeping its mode', async () => {
    const file = join(dir, name, 'sub', 'a.sh');
    await write(file, 'one');
    expect(readFileSync(file, 'utf8')).toBe('one');
    chmodSync(file, 0o750);
    await write(file, new Uint8Array([104, 105]));
    expect(readFileSync(file, 'utf8')).toBe('hi');
    expect(statSync(file).mode & 0o777).toBe(0o750);
    expect(readdirSync(join(dir, name, 'sub'))).toEqual(['a.sh']);
  });

  it("fails with Node's error, leaving the target and no temporary file", async () => {
    const folder = join(dir, name, 'target-is-a-folder');
    await write(join(folder, 'x'), 'x');
    // Renaming a file over a folder fails after the temporary file was written.
    await expect(write(folder, 'new')).rejects.toMatchObject({
      code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
    });
    expect(readdirSync(join(dir, name)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(folder, 'x'), 'utf8')).toBe('x');
  });
});

describe('describeFsError', () => {
  it.each([
    ['ENOENT', 'no such file'],
    ['EACCES', 'permission denied'],
    ['EROFS', 'the disk is read-only'],
    ['ENOSPC', 'the disk is full'],
    [
      'EFBIG',
      'the file would be larger than the system allows (the disk is full or a file size limit is set)',
    ],
  ])('%s: %s', (code, words) => {
    expect(describeFsError(Object.assign(new Error(`${code}: /x/y`), { code }))).toBe(words);
  });

  it('keeps the first line of any other error', () => {
    expect(describeFsError(new Error('strange\nmore'))).toBe('strange');
  });
});
