// Entry point of the `backprop-lab` command (bin/backprop-lab.mjs loads it through tsx).
import { processIo } from './io';
import { runCli } from './run';

process.exitCode = await runCli(process.argv.slice(2), processIo());
