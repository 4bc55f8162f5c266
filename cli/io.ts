import type { ProgressSink } from './progress-line';

/** Where a command writes: results on stdout, progress, warnings and errors on stderr. */
export interface CliIo {
  out(text: string): void;
  err: ProgressSink;
}

/**
 * The process's own streams. `stderr` says what the terminal is when these streams are a worker
 * thread's (piped to the main thread's, they are never a terminal themselves).
 */
export function processIo(
  stderr: { isTTY: boolean; columns?: number } = {
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
  },
): CliIo {
  // `backprop-lab info … | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return {
    out: (text) => void process.stdout.write(text),
    err: {
      isTTY: stderr.isTTY,
      columns: stderr.columns,
      write: (text) => void process.stderr.write(text),
    },
  };
}
