// The training worker: plugin code, compiling, training. Everything is in worker-core; this file
// only connects it to the Worker's message port.
import { z } from 'zod';
import { evaluateSandboxed } from './plugin-module';
import type { FromWorker, ToWorker } from './protocol';
import { createWorkerCore } from './worker-core';
import { engineInfo, startEngineThreads } from './gemm-helper';
import { macrotaskYield } from './yield';

// zod makes no code: the only strings evaluated in this worker are plugins, in compartments.
z.config({ jitless: true });

// Shipped data sets load only when a project uses them (digits.csv is a quarter megabyte).
const DATA_FILES: Record<string, () => Promise<{ default: string }>> = {
  'iris.csv': () => import('../../data/iris.csv?raw'),
  'digits.csv': () => import('../../data/digits.csv?raw'),
};

const postEngine = () =>
  self.postMessage({ type: 'engine', engine: engineInfo() } satisfies FromWorker);

const core = createWorkerCore({
  post: (msg: FromWorker, transfer?: Transferable[]) => {
    self.postMessage(msg, { transfer });
    // After a run pauses or ends: how many of its products used both threads.
    if (msg.type === 'state' && msg.state !== 'running') postEngine();
  },
  evaluate: evaluateSandboxed,
  async readDataFile(name) {
    const load = DATA_FILES[name];
    if (!load) throw new Error(`${name} is not shipped with the app`);
    return (await load()).default;
  },
  yieldToHost: macrotaskYield(),
});

self.onmessage = (e: MessageEvent<ToWorker>) => void core.handle(e.data);
self.postMessage({ type: 'ready' } satisfies FromWorker);
startEngineThreads(self.crossOriginIsolated, (engine) =>
  self.postMessage({ type: 'engine', engine } satisfies FromWorker),
);
