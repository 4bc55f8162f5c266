// Two threads per large matrix product on the command line: a Node worker thread runs the
// helper (core/ops/kernels/gemm-threads.ts). Unref'd, so it never keeps the process alive.
import { Worker } from 'node:worker_threads';
import {
  enableGemmThreads,
  waitForGemmHelper,
  type GemmThreadStatus,
  type StartGemmHelper,
} from '../core/ops/kernels/gemm-threads';

export const startNodeGemmHelper: StartGemmHelper = (source, init, onFailure) => {
  const worker = new Worker(
    `require('node:worker_threads').parentPort.once('message', (init) => (${source})(init));`,
    { eval: true },
  );
  worker.unref();
  worker.on('error', (e) => onFailure(e.message));
  worker.on('exit', (code) => onFailure(`it exited (code ${code})`));
  worker.postMessage(init);
  return { terminate: () => void worker.terminate() };
};

/** Turns two-thread products on and waits until the helper is ready (a second at most). */
export function useTwoThreads(): GemmThreadStatus {
  const status = enableGemmThreads(startNodeGemmHelper);
  if (status.state === 'starting') waitForGemmHelper(1000);
  return enableGemmThreads(startNodeGemmHelper);
}
