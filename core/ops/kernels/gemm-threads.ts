import { workSpace } from './resident';
import { setProductRunner, type ProductRunner } from './wasm-gemm';
import { CONTROL_BYTES, wasmEngine } from './wasm-kernel';
import type { WasmMemory, WasmModule } from './wasm-api';

// Two threads on one matrix product. The kernels work in a shared WebAssembly memory
// (wasm-kernel.ts); a helper thread (a Web Worker or a Node worker thread, started by the host:
// core starts no threads itself) instantiates the same kernels on that memory and sleeps on a
// control word. For a product big enough to pay for waking it, this thread writes the helper's
// range of rows into the control words, wakes it, computes its own rows, and waits for the
// helper's "done". The ranges are whole 4-row blocks, so the two threads never write the same
// bytes of C, and every entry of C is summed in the same order as on one thread. Operands that
// live in the memory (resident.ts) need no copying in; what is copied is copied by this thread,
// the only one that can read the caller's arrays. Only possible where SharedArrayBuffer is: in
// Node, and in pages that are cross-origin isolated (COOP + COEP headers).

/**
 * How long (ms) the idle helper keeps looking for the next product before it sleeps. A step's
 * products come a few dozen microseconds apart; waking a sleeping thread costs about as much as
 * a small product. Measured on the MLP (npm run bench): 0 ms 275 steps/s, 0.1–0.5 ms 288–291.
 */
const HELPER_SPIN_MS = 0.2;

/** Control words (Int32) at the start of the shared memory. */
const SEQ = 0; // the job number this thread posted last
const DONE = 1; // the job number the helper finished last
const READY = 2; // the generation of the helper that waits for jobs
const GENERATION = 3; // the current helper's generation: any other helper returns
const ARGS = 4; // variant, entry, a, b, c, m, n, k, i0, i1, work of the helper's part
const WORDS = CONTROL_BYTES / 4;

/** What the helper thread needs: the compiled kernels, the shared memory, its generation. */
export interface GemmHelperInit {
  /** [portable, fast] compiled for the memory; fast is null where relaxed SIMD is missing. */
  modules: (WasmModule | null)[];
  memory: WasmMemory;
  /**
   * Which helper this is (1, 2 … per enable). A helper from an earlier enable that wakes late
   * sees another generation and returns, without touching the products of the new one.
   */
  generation: number;
}

export interface GemmHelperHandle {
  terminate(): void;
}

/**
 * Starts a helper thread that runs `source` — the text of a function expression taking one
 * argument — with `init` (structured-cloned: the memory is shared, not copied). `onFailure` is
 * called if the thread fails to start or dies.
 */
export type StartGemmHelper = (
  source: string,
  init: GemmHelperInit,
  onFailure: (reason: string) => void,
) => GemmHelperHandle;

export const threadSettings = {
  /** Products below this many multiply-adds (m·n·k, padded) stay on one thread. */
  minProduct: 1 << 20,
  /** A helper that has not finished its part after this long is taken for dead. */
  timeoutMs: 10_000,
};

/**
 * The helper thread's code, as a function expression: no imports, no closure, so a host can put
 * it in a Blob worker or `new Worker(…, { eval: true })`.
 */
export const GEMM_HELPER_SOURCE = `function gemmHelper(init) {
  var entries = init.modules.map(function (module) {
    if (!module) return null;
    var e = new WebAssembly.Instance(module, { env: { memory: init.memory } }).exports;
    return [e.gemm_nn, e.gemm_tn, e.gemm_nt];
  });
  var ctl = new Int32Array(init.memory.buffer, 0, ${WORDS});
  var gen = init.generation;
  var seen = Atomics.load(ctl, ${SEQ});
  if (Atomics.load(ctl, ${GENERATION}) !== gen) return;
  Atomics.store(ctl, ${READY}, gen);
  Atomics.notify(ctl, ${READY});
  for (;;) {
    // Products come in bursts (a training step has several): look for the next one for a
    // moment before sleeping.
    var until = performance.now() + ${HELPER_SPIN_MS};
    while (Atomics.load(ctl, ${SEQ}) === seen && performance.now() < until);
    Atomics.wait(ctl, ${SEQ}, seen);
    seen = Atomics.load(ctl, ${SEQ});
    if (Atomics.load(ctl, ${GENERATION}) !== gen) return;
    entries[ctl[${ARGS}]][ctl[${ARGS + 1}]](ctl[${ARGS + 2}], ctl[${ARGS + 3}], ctl[${ARGS + 4}], ctl[${ARGS + 5}], ctl[${ARGS + 6}], ctl[${ARGS + 7}], ctl[${ARGS + 8}], ctl[${ARGS + 9}], ctl[${ARGS + 10}]);
    Atomics.store(ctl, ${DONE}, seen);
    Atomics.notify(ctl, ${DONE});
  }
}`;

export type GemmThreadState = 'off' | 'starting' | 'on' | 'failed';

export interface GemmThreadStatus {
  /** Threads that run one product: 2 once the helper is ready, else 1. */
  threads: 1 | 2;
  state: GemmThreadState;
  /** Why there is one thread, when threads were asked for. */
  reason?: string;
}

interface Helper {
  handle: GemmHelperHandle;
  ctl: Int32Array;
  seq: number;
  generation: number;
}

let helper: Helper | null = null;
let split = 0;
let failure: string | null = null;
/** Whether Atomics.wait may block this thread (not on a browser's main thread). */
let canBlock = true;

/**
 * Asks for two threads per large product. Returns at once; the helper is used from the first
 * product after it is ready (see gemmThreadStatus). Where shared memory is not allowed the
 * status says why and products stay on one thread.
 */
export function enableGemmThreads(start: StartGemmHelper): GemmThreadStatus {
  if (helper) return gemmThreadStatus();
  failure = null;
  const engine = wasmEngine();
  if (typeof SharedArrayBuffer !== 'function' || (engine && !engine.shared)) {
    failure =
      'one thread: SharedArrayBuffer is not available: the page is not cross-origin isolated';
    return gemmThreadStatus();
  }
  if (!engine) {
    failure = 'one thread: the WebAssembly SIMD kernel does not run here';
    return gemmThreadStatus();
  }
  const shared = { modules: engine.kernels.map((k) => k?.module ?? null), memory: engine.memory };
  const ctl = new Int32Array(shared.memory.buffer, 0, WORDS);
  const generation = Atomics.add(ctl, GENERATION, 1) + 1;
  const init: GemmHelperInit = { ...shared, generation };
  const h: Helper = { handle: { terminate() {} }, ctl, seq: Atomics.load(ctl, SEQ), generation };
  helper = h;
  setProductRunner(runSplit);
  try {
    h.handle = start(GEMM_HELPER_SOURCE, init, (reason) => {
      if (helper === h) stop(`the helper thread failed: ${reason}`);
    });
  } catch (e) {
    stop(`the helper thread did not start: ${(e as Error).message}`);
  }
  return gemmThreadStatus();
}

/** Back to one thread; the helper thread ends. */
export function disableGemmThreads(): void {
  stop(null);
}

/** How many products have been shared between two threads so far in this process. */
export function splitProducts(): number {
  return split;
}

export function gemmThreadStatus(): GemmThreadStatus {
  if (helper) {
    return isReady(helper) ? { threads: 2, state: 'on' } : { threads: 1, state: 'starting' };
  }
  return failure ? { threads: 1, state: 'failed', reason: failure } : { threads: 1, state: 'off' };
}

/**
 * Waits (blocking, up to `timeoutMs`) until the helper is ready; true if it is. For hosts that
 * want two threads from the first product (the benchmark, tests). Not on a browser's main thread.
 */
export function waitForGemmHelper(timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (helper && !isReady(helper)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(helper.ctl, READY, Atomics.load(helper.ctl, READY), Math.min(left, 50));
  }
  return gemmThreadStatus().threads === 2;
}

const isReady = (h: Helper): boolean => Atomics.load(h.ctl, READY) === h.generation;

function stop(reason: string | null): void {
  const h = helper;
  helper = null;
  failure = reason;
  setProductRunner(null);
  if (!h) return;
  Atomics.add(h.ctl, GENERATION, 1); // the helper returns when it wakes
  Atomics.add(h.ctl, SEQ, 1);
  Atomics.notify(h.ctl, SEQ);
  h.handle.terminate();
}

/** Each product: split in two where it is large enough and the helper is ready. */
const runSplit: ProductRunner = (entry, variant, kind, a, b, c, m, n, k, work) => {
  const h = helper;
  const own = work ? workSpace(0, work) : 0;
  if (!h || m < 8 || m * n * k < threadSettings.minProduct || !isReady(h)) {
    entry(a, b, c, m, n, k, 0, m, own);
    return;
  }
  const top = (m >> 3) << 2; // this thread's rows: half, in whole 4-row blocks
  const ctl = h.ctl;
  ctl[ARGS] = variant;
  ctl[ARGS + 1] = kind;
  ctl[ARGS + 2] = a;
  ctl[ARGS + 3] = b;
  ctl[ARGS + 4] = c;
  ctl[ARGS + 5] = m;
  ctl[ARGS + 6] = n;
  ctl[ARGS + 7] = k;
  ctl[ARGS + 8] = top;
  ctl[ARGS + 9] = m;
  ctl[ARGS + 10] = work ? workSpace(1, work) : 0;
  const seq = (h.seq = (h.seq + 1) | 0);
  Atomics.store(ctl, SEQ, seq); // publishes the arguments above
  Atomics.notify(ctl, SEQ);
  entry(a, b, c, m, n, k, 0, top, own);
  split++;
  if (!awaitHelper(ctl, seq)) {
    stop(`the helper thread did not finish a product within ${threadSettings.timeoutMs} ms`);
    entry(a, b, c, m, n, k, top, m, own); // its rows, here
  }
};

/** Spins briefly (the helper's half takes about as long as ours), then sleeps in short waits. */
function awaitHelper(ctl: Int32Array, seq: number): boolean {
  for (let i = 0; i < 2000; i++) if (Atomics.load(ctl, DONE) === seq) return true;
  const deadline = Date.now() + threadSettings.timeoutMs;
  for (;;) {
    const done = Atomics.load(ctl, DONE);
    if (done === seq) return true;
    if (Date.now() > deadline) return false;
    if (canBlock) {
      try {
        Atomics.wait(ctl, DONE, done, 1);
      } catch {
        canBlock = false; // a browser's main thread: spin
      }
    }
  }
}
