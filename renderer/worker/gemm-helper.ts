// Two threads per large matrix product in the app: the training worker starts a nested worker
// that runs core's helper (core/ops/kernels/gemm-threads.ts) on the kernel's shared memory.
// Only where the page is cross-origin isolated (COOP + COEP): elsewhere SharedArrayBuffer is
// missing and products stay on the training worker's thread.
import {
  enableGemmThreads,
  gemmThreadStatus,
  kernelInfo,
  splitProducts,
  type GemmThreadStatus,
  type StartGemmHelper,
} from '../../core';
import type { EngineInfo } from './protocol-types';

/** A Blob worker (the workers' CSP allows blob: workers) that waits for its init message, then runs. */
export const startBrowserGemmHelper: StartGemmHelper = (source, init, onFailure) => {
  const code = `self.onmessage = (e) => { self.onmessage = null; (${source})(e.data); };`;
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'matrix products' });
  URL.revokeObjectURL(url);
  worker.onerror = (e) => {
    e.preventDefault();
    onFailure(e.message || 'the helper worker could not start');
  };
  worker.postMessage(init);
  return { terminate: () => worker.terminate() };
};

/** Why threads were not even tried (a page that is not cross-origin isolated). */
let unavailable: string | null = null;

export function engineInfo(status: GemmThreadStatus = gemmThreadStatus()): EngineInfo {
  const why =
    status.state === 'off' && unavailable !== null
      ? { threads: 1 as const, state: 'failed' as const, reason: unavailable }
      : status;
  const k = kernelInfo();
  return {
    kernel: k.kernel,
    mode: k.mode,
    ...(k.reason ? { kernelReason: k.reason } : {}),
    ...(k.block ? { block: k.block } : {}),
    ...why,
    splitProducts: splitProducts(),
  };
}

/**
 * Asks for two threads where the page allows it. `report` gets the engine at once and again
 * when the helper is ready (or failed): it starts in the background.
 */
export function startEngineThreads(
  isolated: boolean,
  report: (engine: EngineInfo) => void,
  start: StartGemmHelper = startBrowserGemmHelper,
): void {
  unavailable = isolated
    ? null
    : 'one thread: the page is not cross-origin isolated, so SharedArrayBuffer is not available';
  if (!isolated) {
    report(engineInfo());
    return;
  }
  let last = enableGemmThreads(start);
  report(engineInfo(last));
  if (last.state !== 'starting') return;
  const started = Date.now();
  const poll = setInterval(() => {
    const now = gemmThreadStatus();
    if (now.state === 'starting' && Date.now() - started < 10_000) return;
    clearInterval(poll);
    if (now.state !== last.state) report(engineInfo(now));
    last = now;
  }, 25);
}
