// Entry point of the `backprop-lab` command (bin/backprop-lab.mjs loads it through tsx). The
// command itself runs on a worker thread this thread watches (cli/thread/watched.ts); this
// thread loads little more than the watchdog.
import { processIo } from './io';
import { runWatched } from './thread/watched';

process.exitCode = await runWatched(process.argv.slice(2), processIo());
