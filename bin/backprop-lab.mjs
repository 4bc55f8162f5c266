#!/usr/bin/env node
// The `backprop-lab` command. Runs the TypeScript sources directly through tsx, so it works
// right after `npm install` with no build step. npm links this file into node_modules/.bin;
// Node resolves that link, so import.meta.url is this real file and ../cli is found from here.
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

// tsconfig: false — the user's working directory may hold a tsconfig.json that is not ours.
register({ tsconfig: false });
const here = realpathSync(fileURLToPath(import.meta.url));
await import(new URL('../cli/main.ts', pathToFileURL(here)).href);
