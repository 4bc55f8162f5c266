import { workSpace } from './resident';
import { setProductRunner, type ProductRunner } from './wasm-gemm';
import { CONTROL_BYTES, wasmEngine } from './wasm-kernel';
import type { WasmMemory, WasmModule } from './wasm-api';

// Two threads on one matrix product. The kernels work in a shared WebAssembly memory
// (wasm-kernel.ts); a helper thread (a Web Worker or a Node worker thread, started by the host:
// core starts no threads itself) instantiates the same kernels on that memory and waits on a
// control word. For a product big enough to share, this thread posts it (its arguments in the
// control words), and then both threads take chunks of its rows — whole 4-row blocks — from one
// counter until none is left; this thread then waits for the helper's last chunk. Nobody waits
// for the helper to wake: a helper that is late (asleep, or without a core on a busy machine)
// takes fewer chunks, or none, and this thread computes the rest. The two threads never write
// the same bytes of C, and every entry of C is summed in the same order whoever computes it.
// Operands that live in the memory (resident.ts) need no copying in; what is copied is copied
// by this thread, the only one that can read the caller's arrays. Only possible where
// SharedArrayBuffer is: in Node, and in pages that are cross-origin isolated (COOP + COEP).

/**
 * How long (ms) the idle helper keeps looking for the next product before it sleeps. A step's
 * products come a few dozen microseconds apart, the next step's first one after the optimizer's
 * update (about 0.2 ms on the MLP); a helper asleep takes its first chunk only after the wake-up.
 */
const HELPER_SPIN_MS = 0.5;

/**
 * Control words (Int32) at the start of the shared memory. The arguments are written under a
 * sequence lock: SEQ is odd while this thread writes them and even once they are posted, so a
 * helper that reads them while they change (late, from an earlier product) reads them again.
 * The chunk counter NEXT only grows: product p's rows are the counter values BASE … BASE + m − 1,
 * and the next product starts where it ended, so a helper holding an earlier product's
 * arguments finds the counter past them and takes nothing.
 */
export const CONTROL_WORDS = {
  SEQ: 0, // 2 × the products posted; odd while one is being written
  READY: 2, // the generation of the helper that waits for products
  GENERATION: 3, // the current helper's generation: any other helper returns
  NEXT: 4, // the next chunk's first row, as BASE + row
  ROWS_DONE: 5, // rows of this product the helper has finished
  ARGS: 8, // variant, entry, a, b, c, m, n, k, work, base, chunk of the posted product
} as const;
const { SEQ, READY, GENERATION, NEXT, ROWS_DONE, ARGS } = CONTROL_WORDS;
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
  var seen = Atomics.load(ctl, ${SEQ}) & ~1;
  if (Atomics.load(ctl, ${GENERATION}) !== gen) return;
  Atomics.store(ctl, ${READY}, gen);
  Atomics.notify(ctl, ${READY});
  for (;;) {
    // Products come in bursts (a training step has several): look for the next one for a
    // moment before sleeping.
    var until = performance.now() + ${HELPER_SPIN_MS};
    while (Atomics.load(ctl, ${SEQ}) === seen && performance.now() < until);
    Atomics.wait(ctl, ${SEQ}, seen);
    if (Atomics.load(ctl, ${GENERATION}) !== gen) return;
    var seq = Atomics.load(ctl, ${SEQ});
    if (seq & 1) continue; // being written: look again
    var variant = Atomics.load(ctl, ${ARGS}), kind = Atomics.load(ctl, ${ARGS + 1});
    var a = Atomics.load(ctl, ${ARGS + 2}), b = Atomics.load(ctl, ${ARGS + 3});
    var c = Atomics.load(ctl, ${ARGS + 4}), m = Atomics.load(ctl, ${ARGS + 5});
    var n = Atomics.load(ctl, ${ARGS + 6}), k = Atomics.load(ctl, ${ARGS + 7});
    var work = Atomics.load(ctl, ${ARGS + 8}), base = Atomics.load(ctl, ${ARGS + 9});
    var chunk = Atomics.load(ctl, ${ARGS + 10});
    if (Atomics.load(ctl, ${SEQ}) !== seq) continue; // changed while read: read again
    seen = seq;
    var entry = entries[variant][kind];
    for (;;) {
      var at = Atomics.load(ctl, ${NEXT});
      var i0 = (at - base) | 0;
      if (i0 < 0 || i0 >= m) break; // all taken (or another product's counter)
      if (Atomics.compareExchange(ctl, ${NEXT}, at, (at + chunk) | 0) !== at) continue;
      var i1 = Math.min(i0 + chunk, m);
      entry(a, b, c, m, n, k, i0, i1, work);
      Atomics.add(ctl, ${ROWS_DONE}, i1 - i0);
      Atomics.notify(ctl, ${ROWS_DONE});
    }
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
  /** SEQ as this thread last posted it (even). */
  seq: number;
  generation: number;
}

let helper: Helper | null = null;
let split = 0;
let splitRows = 0;
let helperRows = 0;
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
  const seq = Atomics.load(ctl, SEQ) & ~1;
  Atomics.store(ctl, SEQ, seq);
  const h: Helper = { handle: { terminate() {} }, ctl, seq, generation };
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

/** Rows of the shared products so far, and how many of them the helper computed. */
export function splitRowCounts(): { rows: number; helper: number } {
  return { rows: splitRows, helper: helperRows };
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
  Atomics.add(h.ctl, SEQ, 2); // wakes it (and stays even: nothing is being written)
  Atomics.notify(h.ctl, SEQ);
  h.handle.terminate();
}

/**
 * Rows per chunk: eight chunks a product (whole 4-row blocks), so that a late helper still finds
 * work and its last chunk is short. A product whose threads each transpose B first (work > 0)
 * goes in two halves, each transposing once.
 */
function chunkRows(m: number, work: number): number {
  const chunks = work ? 2 : 8;
  return Math.max(4, (Math.ceil(m / chunks) + 3) & ~3);
}

/** Each product: shared by both threads where it is large enough and the helper is ready. */
const runSplit: ProductRunner = (entry, variant, kind, a, b, c, m, n, k, work) => {
  const h = helper;
  const own = work ? workSpace(0, work) : 0;
  if (!h || m < 8 || m * n * k < threadSettings.minProduct || !isReady(h)) {
    entry(a, b, c, m, n, k, 0, m, own);
    return;
  }
  const ctl = h.ctl;
  const chunk = chunkRows(m, work);
  const base = Atomics.load(ctl, NEXT); // where the last product's rows ended
  Atomics.store(ctl, SEQ, h.seq + 1); // writing
  Atomics.store(ctl, ROWS_DONE, 0);
  Atomics.store(ctl, ARGS, variant);
  Atomics.store(ctl, ARGS + 1, kind);
  Atomics.store(ctl, ARGS + 2, a);
  Atomics.store(ctl, ARGS + 3, b);
  Atomics.store(ctl, ARGS + 4, c);
  Atomics.store(ctl, ARGS + 5, m);
  Atomics.store(ctl, ARGS + 6, n);
  Atomics.store(ctl, ARGS + 7, k);
  Atomics.store(ctl, ARGS + 8, work ? workSpace(1, work) : 0);
  Atomics.store(ctl, ARGS + 9, base);
  Atomics.store(ctl, ARGS + 10, chunk);
  h.seq = (h.seq + 2) | 0;
  Atomics.store(ctl, SEQ, h.seq); // posted
  Atomics.notify(ctl, SEQ);
  let mine = 0;
  for (;;) {
    const i0 = (Atomics.add(ctl, NEXT, chunk) - base) | 0;
    if (i0 >= m) break;
    const i1 = Math.min(i0 + chunk, m);
    entry(a, b, c, m, n, k, i0, i1, own);
    mine += i1 - i0;
  }
  split++;
  splitRows += m;
  helperRows += m - mine;
  if (mine < m && !awaitHelper(ctl, m - mine)) {
    stop(`the helper thread did not finish a product within ${threadSettings.timeoutMs} ms`);
    entry(a, b, c, m, n, k, 0, m, own); // all of it, here
  }
};

/**
 * Waits for the helper's last chunks (it took them before this thread ran out): spins for up to
 * a chunk's time or so, then sleeps in short waits.
 */
function awaitHelper(ctl: Int32Array, rows: number): boolean {
  const spinUntil = performance.now() + AWAIT_SPIN_MS;
  while (Atomics.load(ctl, ROWS_DONE) !== rows) {
    if (performance.now() > spinUntil) return awaitHelperAsleep(ctl, rows);
  }
  return true;
}

/** How long (ms) this thread spins for the helper's last chunks before it sleeps. */
const AWAIT_SPIN_MS = 1;

function awaitHelperAsleep(ctl: Int32Array, rows: number): boolean {
  const deadline = Date.now() + threadSettings.timeoutMs;
  for (;;) {
    const done = Atomics.load(ctl, ROWS_DONE);
    if (done === rows) return true;
    if (Date.now() > deadline) return false;
    if (canBlock) {
      try {
        Atomics.wait(ctl, ROWS_DONE, done, 1);
      } catch {
        canBlock = false; // a browser's main thread: spin
      }
    }
  }
}
