// The worker thread a command runs on (started by cli/thread/watched.ts through entry.mjs).
// Its stdout and stderr are the main thread's (Node pipes a worker's streams to its parent's).
import { parentPort, workerData } from 'node:worker_threads';
import { processIo } from '../io';
import { enableRelaxedSimd } from '../relaxed-simd';
import { runCli } from '../run';
import { announceDone, watchThisThread } from './current';

export interface CommandThreadData {
  argv: string[];
  /** The main thread's stderr: a worker's own is never a terminal. */
  stderr: { isTTY: boolean; columns?: number };
}

// Before the first product, so that --kernel fast can use it (V8's flags are the process's).
enableRelaxedSimd();
const data = workerData as CommandThreadData;
watchThisThread(parentPort!);
announceDone(await runCli(data.argv, processIo(data.stderr)));
