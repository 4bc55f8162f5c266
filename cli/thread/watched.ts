// The command line's watchdog. A synchronous endless loop in a plugin (`for (;;) {}` in forward)
// cannot be interrupted on its own thread: no timer, signal handler or promise runs again until
// it returns. So the command runs on a worker thread (command-thread.ts) that writes what it runs
// into shared activity cells, and this, the main thread, watches them with the app's rule
// (Watchdog in core/util/activity.ts): what runs past the step limit without progress ends the
// worker — the only way to stop a thread stuck in a loop — and the command, with one message
// naming the node, the plugin and the phase.
import { Worker } from 'node:worker_threads';
import { DEFAULT_STEP_TIMEOUT_MS, Watchdog } from '../../core/util/activity';
import { EXIT } from '../exit-codes';
import type { CliIo } from '../io';
import type { CommandThreadData } from './command-thread';
import type { FromCommandThread } from './current';

/** How often the main thread looks at the cells. */
const WATCH_MS = 100;

/**
 * Run `backprop-lab ...argv` on a watched worker thread; resolves to the exit code. A command
 * stopped by its step limit exits with EXIT.failed (1) and writes nothing more: `train`
 * writes --save, --export and --report only after its last step, so a file there keeps what it
 * held before (the last good weights of an earlier run).
 *
 * @example process.exitCode = await runWatched(process.argv.slice(2), processIo());
 */
export function runWatched(argv: string[], io: CliIo): Promise<number> {
  const data: CommandThreadData = {
    argv,
    stderr: { isTTY: io.err.isTTY, columns: io.err.columns },
  };
  const worker = new Worker(new URL('./entry.mjs', import.meta.url), { workerData: data });
  const dog = new Watchdog();
  let limit = DEFAULT_STEP_TIMEOUT_MS;
  let code: number | null = null;
  let failure: string | null = null;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const hung = dog.hang(performance.now(), limit);
      if (!hung || code !== null) return;
      code = EXIT.failed;
      io.err.write(`backprop-lab: ${hung.message}, so the command was stopped${tail(argv)}\n`);
      void worker.terminate();
    }, WATCH_MS);
    worker.on('message', (msg: FromCommandThread) => {
      switch (msg.type) {
        case 'cells':
          dog.watchCells(new Int32Array(msg.cells));
          return;
        case 'label':
          dog.label(msg.id, msg.text);
          return;
        case 'limit':
          limit = msg.ms;
          dog.reset(performance.now());
          return;
        case 'done':
          code ??= msg.code;
          return;
      }
    });
    worker.on('error', (e) => (failure = e.message));
    worker.on('exit', (exitCode) => {
      clearInterval(timer);
      if (code === null) {
        // The thread ended without finishing its command: it ran out of memory, or crashed.
        const busy = dog.busyWith();
        io.err.write(
          `backprop-lab: internal error: the command's thread stopped unexpectedly (${failure ?? `exit code ${exitCode}`})` +
            `${busy ? ` while it ran ${busy}` : ''}; nothing more was written\n`,
        );
        code = EXIT.internal;
      }
      resolve(code);
    });
  });
}

/** What a stopped command leaves behind. */
function tail(argv: string[]): string {
  return argv[0] === 'train'
    ? ': nothing was written (--save, --export and --report are written only after the last step, so files there keep what they held)'
    : '';
}
