// The training worker: plugin code, compiling, training. Everything is in worker-core; this file
// only connects it to the Worker's message port.
import { z } from 'zod';
import { evaluateSandboxed } from './plugin-module';
import type { FromWorker, ToWorker } from './protocol';
import { createWorkerCore } from './worker-core';
import { engineInfo, startEngineThreads } from './gemm-helper';
import { macrotaskYield } from './yield';
import { chooseOuterBlocks } from '../../core/ops/kernels/outer-block';
import { ACTIVITY, Activity } from '../../core/util/activity';

// zod makes no code: the only strings evaluated in this worker are plugins, in compartments.
z.config({ jitless: true });

// Shipped data sets load only when a project uses them (digits.csv is a quarter megabyte).
const DATA_FILES: Record<string, () => Promise<{ default: string }>> = {
  'iris.csv': () => import('../../data/iris.csv?raw'),
  'digits.csv': () => import('../../data/digits.csv?raw'),
};

const postEngine = () =>
  self.postMessage({ type: 'engine', engine: engineInfo() } satisfies FromWorker);

// What runs now, for the UI thread's watchdog (client.ts): in shared memory where the page is
// cross-origin isolated; elsewhere the UI thread goes by the messages alone.
const cells = self.crossOriginIsolated
  ? new SharedArrayBuffer(ACTIVITY.cells * 4)
  : new ArrayBuffer(ACTIVITY.cells * 4);
self.postMessage({ type: 'activity', cells } satisfies FromWorker);
const activity = new Activity(cells, (id, text) =>
  self.postMessage({ type: 'activityLabel', id, text } satisfies FromWorker),
);

// Held until this worker ends: the UI thread asks for the same lock and is granted it the moment
// the worker is gone, however it went (it may have run out of memory). Only in secure contexts.
const lock = `backprop-lab-training-worker-${crypto.randomUUID()}`;
void navigator.locks?.request(lock, () => {
  self.postMessage({ type: 'alive', lock } satisfies FromWorker);
  return new Promise<never>(() => {});
});

const core = createWorkerCore({
  post: (msg: FromWorker, transfer?: Transferable[]) => {
    self.postMessage(msg, { transfer });
    // When a run starts (its kernel mode), pauses or ends (how many products used both threads).
    if (msg.type === 'state') postEngine();
  },
  evaluate: evaluateSandboxed,
  async readDataFile(name) {
    const load = DATA_FILES[name];
    if (!load) throw new Error(`${name} is not shipped with the app`);
    return (await load()).default;
  },
  yieldToHost: macrotaskYield(),
  activity,
});

self.onmessage = (e: MessageEvent<ToWorker>) => void core.handle(e.data);
self.postMessage({ type: 'ready' } satisfies FromWorker);
// The matrix kernels' block by timing (core/ops/kernels/outer-block.ts): 10–40 ms once, the
// same bits either way; before the helper starts, so the first engine report names it.
chooseOuterBlocks();
startEngineThreads(self.crossOriginIsolated, (engine) =>
  self.postMessage({ type: 'engine', engine } satisfies FromWorker),
);
