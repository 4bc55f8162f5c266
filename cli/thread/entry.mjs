// The command thread's entry: a worker thread loads TypeScript through tsx as the bin does
// (bin/backprop-lab.mjs), then runs the command (command-thread.ts).
import { register } from 'tsx/esm/api';

register({ tsconfig: false });
await import('./command-thread.ts');
