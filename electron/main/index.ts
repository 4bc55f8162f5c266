// The main process entry (out/main/index.js).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runApp } from './app';
import { log } from './log';

runApp(dirname(fileURLToPath(import.meta.url))).catch((e) => {
  log.error('could not start', e);
  process.exit(1);
});
