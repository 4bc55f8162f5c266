// Entry point of the `backprop-lab` command (bin/backprop-lab.mjs loads it through tsx).
import { processIo } from './io';
import { enableRelaxedSimd } from './relaxed-simd';
import { runCli } from './run';

enableRelaxedSimd(); // before the first product, so that --kernel fast can use it
process.exitCode = await runCli(process.argv.slice(2), processIo());
