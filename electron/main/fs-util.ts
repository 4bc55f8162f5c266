// The main process writes files the one way the command line does too (node/atomic-write.ts),
// and names file errors in the same words (node/fs-errors.ts).
import { writeFileAtomic as writeSync, writeFileAtomicAsync } from '../../node/atomic-write';
import { describeFsError } from '../../node/fs-errors';

/** Writes through a temporary file, flushed, and a rename: a crash never leaves half a file. */
export const writeFileAtomic = writeFileAtomicAsync;

/** The same, synchronously: for small state files written while the app is closing. */
export const writeFileAtomicSync: (path: string, data: string) => void = writeSync;

/** The reason in a Node file-system error, without its stack: "no such file", "permission denied". */
export const fsReason = describeFsError;
