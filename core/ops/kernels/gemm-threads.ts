import { workSpace, workSpaceFits } from './resident';
import { setProductThreading, type ProductThreading } from './wasm-gemm';
import { CONTROL_BYTES, wasmEngine } from './wasm-kernel';
import type { WasmMemory, WasmModule } from './wasm-api';

// Two threads on one matrix product. The kernels work in a shared WebAssembly memory
// (wasm-kernel.ts); a helper thread (a Web Worker or a Node worker thread, started by the host:
// core starts no threads itself) instantiates the same kernels on that memory and waits on a
// control word. For a product big enough to share, this thread posts it (its arguments in the
// control words), and then both threads take chunks of its rows — whole 4-row blocks — from one
// counter until none is left. Nobody waits for the helper to wake: a helper that is asleep, or
// has no core on a busy machine, takes fewer chunks, or none. The helper computes a chunk into
// its own work space and copies it into C only if the chunk is still its own: when this thread
// has run out of chunks and the helper's last one is late (the system paused the helper in the
// middle of it), this thread takes that chunk back and computes it itself, and the helper's copy
// is thrown away. The two threads never write the same bytes of C, and every entry of C is
// summed in the same order whoever computes it. Operands that live in the memory (resident.ts)
// need no copying in; what is copied is copied by this thread, the only one that can read the
// caller's arrays. Only possible where SharedArrayBuffer is: in Node, and in pages that are
// cross-origin isolated (COOP + COEP headers).

/**
 * How long (ms) the idle helper keeps looking for the next product before it sleeps. A step's
 * products come a few dozen microseconds apart, the next step's first one after the optimizer's
 * update (about 0.2 ms on the MLP); a helper asleep takes its first chunk only after the wake-up.
 */
const HELPER_SPIN_MS = 0.5;

/** Chunks a product is cut into (at most), and so the chunk states kept. */
const CHUNKS = 8;

/**
 * Control words (Int32) at the start of the shared memory. The arguments are written under a
 * sequence lock: SEQ is odd while this thread writes them and even once they are posted, so a
 * helper that reads them while they change (late, from an earlier product) reads them again.
 * The chunk counter NEXT only grows: a product's rows are the counter values BASE … BASE + m − 1,
 * and the next product starts where it ended, so a helper holding an earlier product's
 * arguments finds the counter past them and takes nothing. Each chunk has a state word: the
 * product's TAG (a multiple of 4) while it is being computed, TAG + 1 while the helper copies it
 * into C, TAG + 2 once it is there, TAG + 3 when this thread took it back.
 */
export const CONTROL_WORDS = {
  SEQ: 0, // 2 × the products posted; odd while one is being written
  READY: 2, // the generation of the helper that waits for products
  GENERATION: 3, // the current helper's generation: any other helper returns
  NEXT: 4, // the next chunk's first row, as BASE + row
  TAKEN: 5, // chunks the helper has taken so far
  FINISHED: 6, // chunks the helper has finished (copied or thrown away) so far
  ARGS: 8, // variant, entry, a, b, c, m, n, k, work, base, chunk, out, tag, block rows of the posted product
  STATE: 24, // CHUNKS words: each chunk's state
} as const;
const { SEQ, READY, GENERATION, NEXT, TAKEN, FINISHED, ARGS, STATE } = CONTROL_WORDS;
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
  /**
   * When the helper computed less than this share of the rows of the last 32 shared products,
   * it is not getting a core of its own (another process has it: the system shares the cores
   * between sessions, not threads), and sharing only adds waiting. Products then stay on this
   * thread for a pause (firstPauseMs, doubling while it goes on, up to 1 s) before sharing is
   * tried again. 0: always share.
   */
  minHelperShare: 0.3,
  firstPauseMs: 20,
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
    return [e.gemm_nn, e.gemm_tn, e.gemm_nt, e.set_outer_rows];
  });
  var ctl = new Int32Array(init.memory.buffer, 0, ${WORDS});
  var f32 = new Float32Array(init.memory.buffer);
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
    var chunk = Atomics.load(ctl, ${ARGS + 10}), out = Atomics.load(ctl, ${ARGS + 11});
    var tag = Atomics.load(ctl, ${ARGS + 12}), rows = Atomics.load(ctl, ${ARGS + 13});
    if (Atomics.load(ctl, ${SEQ}) !== seq) continue; // changed while read: read again
    seen = seq;
    entries[variant][3](rows); // the block the training thread runs (outer-block.ts)
    var entry = entries[variant][kind];
    for (;;) {
      var at = Atomics.load(ctl, ${NEXT});
      var i0 = (at - base) | 0;
      if (i0 < 0 || i0 >= m) break; // all taken (or another product's counter)
      if (Atomics.compareExchange(ctl, ${NEXT}, at, (at + chunk) | 0) !== at) continue;
      Atomics.add(ctl, ${TAKEN}, 1);
      var i1 = Math.min(i0 + chunk, m), state = ${STATE} + ((i0 / chunk) | 0);
      // rows i0..i1 of C land at out: C's address moved back by i0 rows (wrapping is fine)
      entry(a, b, (out - i0 * n * 4) | 0, m, n, k, i0, i1, work);
      if (Atomics.compareExchange(ctl, state, tag, tag + 1) === tag) {
        var at0 = (c >>> 2) + i0 * n, len = (i1 - i0) * n;
        if (f32.length < at0 + len || f32.length < (out >>> 2) + len) f32 = new Float32Array(init.memory.buffer);
        f32.copyWithin(at0, out >>> 2, (out >>> 2) + len);
        Atomics.store(ctl, state, tag + 2);
        Atomics.notify(ctl, state);
      }
      Atomics.add(ctl, ${FINISHED}, 1);
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
  /** FINISHED when the helper was first seen holding a chunk it has not finished, and when. */
  stuck: { finished: number; since: number } | null;
  /** The shared products since the share was last judged, their rows, the helper's rows. */
  recent: { products: number; rows: number; helper: number };
  /** Products stay on this thread until then (performance.now()); the pause's length, ms. */
  alone: { until: number; ms: number };
}

let helper: Helper | null = null;
let split = 0;
let splitRows = 0;
let helperRows = 0;
let takenBack = 0;
let pauses = 0;
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
  const h: Helper = {
    handle: { terminate() {} },
    ctl,
    seq,
    generation,
    stuck: null,
    recent: { products: 0, rows: 0, helper: 0 },
    alone: { until: 0, ms: 0 },
  };
  helper = h;
  setProductThreading({ shares: sharesSize, run: runSplit });
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

/**
 * Rows of the shared products so far, how many of them the helper computed, and how many chunks
 * this thread took back from a helper that was late with them.
 */
export function splitRowCounts(): {
  rows: number;
  helper: number;
  takenBack: number;
  /** Times products went back to one thread for a pause (minHelperShare). */
  pauses: number;
} {
  return { rows: splitRows, helper: helperRows, takenBack, pauses };
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
  setProductThreading(null);
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
  const chunks = work ? 2 : CHUNKS;
  return Math.max(4, (Math.ceil(m / chunks) + 3) & ~3);
}

/** Whether a product is large enough to share: the others run on this thread. */
const sharesSize = (m: number, n: number, k: number): boolean =>
  m >= 8 && m * n * k >= threadSettings.minProduct;

/** Each product: shared by both threads where it is large enough and the helper is ready. */
const runSplit: ProductThreading['run'] = (entry, variant, kind, a, b, c, m, n, k, work) => {
  const h = helper;
  const own = work ? workSpace(0, work) : 0;
  if (
    !h ||
    !sharesSize(m, n, k) ||
    !isReady(h) ||
    helperStuck(h) ||
    (h.alone.until && performance.now() < h.alone.until)
  ) {
    entry(a, b, c, m, n, k, 0, m, own);
    return;
  }
  const ctl = h.ctl;
  const chunk = chunkRows(m, work);
  const chunks = Math.ceil(m / chunk);
  // The helper's work space: B transposed (work bytes), then one chunk of C. It moves only
  // while the helper holds no chunk (one taken back may still be written there).
  const helperBytes = work + chunk * n * 4;
  if (!workSpaceFits(1, helperBytes) && Atomics.load(ctl, TAKEN) !== Atomics.load(ctl, FINISHED)) {
    entry(a, b, c, m, n, k, 0, m, own);
    return;
  }
  const helperWork = workSpace(1, helperBytes);
  const tag = (h.seq << 1) & ~3; // a multiple of 4 for each product (h.seq grows by 2)
  const base = Atomics.load(ctl, NEXT); // where the last product's rows ended
  Atomics.store(ctl, SEQ, h.seq + 1); // writing
  for (let i = 0; i < chunks; i++) Atomics.store(ctl, STATE + i, tag);
  Atomics.store(ctl, ARGS, variant);
  Atomics.store(ctl, ARGS + 1, kind);
  Atomics.store(ctl, ARGS + 2, a);
  Atomics.store(ctl, ARGS + 3, b);
  Atomics.store(ctl, ARGS + 4, c);
  Atomics.store(ctl, ARGS + 5, m);
  Atomics.store(ctl, ARGS + 6, n);
  Atomics.store(ctl, ARGS + 7, k);
  Atomics.store(ctl, ARGS + 8, work ? helperWork : 0);
  Atomics.store(ctl, ARGS + 9, base);
  Atomics.store(ctl, ARGS + 10, chunk);
  Atomics.store(ctl, ARGS + 11, helperWork + work);
  Atomics.store(ctl, ARGS + 12, tag);
  Atomics.store(ctl, ARGS + 13, wasmEngine()!.kernels[variant]!.outerRows);
  h.seq = (h.seq + 2) | 0;
  Atomics.store(ctl, SEQ, h.seq); // posted
  Atomics.notify(ctl, SEQ);
  let mine = 0, // bit i: this thread computed chunk i
    mineRows = 0,
    chunkMs = 0;
  for (;;) {
    const i0 = (Atomics.add(ctl, NEXT, chunk) - base) | 0;
    if (i0 >= m) break;
    const i1 = Math.min(i0 + chunk, m);
    const t0 = performance.now();
    entry(a, b, c, m, n, k, i0, i1, own);
    chunkMs = performance.now() - t0;
    mine |= 1 << (i0 / chunk);
    mineRows += i1 - i0;
  }
  split++;
  splitRows += m;
  if (mine !== (1 << chunks) - 1) {
    const back = awaitHelper(h, tag, chunks, mine, chunkMs, (i) => {
      const i0 = i * chunk;
      entry(a, b, c, m, n, k, i0, Math.min(i0 + chunk, m), own);
      mineRows += Math.min(i0 + chunk, m) - i0;
    });
    takenBack += back;
  }
  helperRows += m - mineRows;
  judgeShare(h, m, m - mineRows);
};

/** Products judged together for the helper's share (minHelperShare). */
const SHARE_WINDOW = 32;

function judgeShare(h: Helper, rows: number, helperRows: number): void {
  const r = h.recent;
  r.products++;
  r.rows += rows;
  r.helper += helperRows;
  if (r.products < SHARE_WINDOW) return;
  if (r.helper < threadSettings.minHelperShare * r.rows) {
    h.alone.ms = Math.max(threadSettings.firstPauseMs, Math.min(1000, h.alone.ms * 2));
    h.alone.until = performance.now() + h.alone.ms;
    pauses++;
  } else h.alone = { until: 0, ms: 0 };
  h.recent = { products: 0, rows: 0, helper: 0 };
}

/**
 * Waits for the helper's chunks (those this thread did not compute: the helper took them). A
 * chunk still being computed after about as long as this thread's own last chunk took (plus
 * 20 µs) is taken back and computed here by `compute`; a chunk being copied is waited for.
 * Returns how many chunks were taken back.
 */
function awaitHelper(
  h: Helper,
  tag: number,
  chunks: number,
  mine: number,
  chunkMs: number,
  compute: (chunk: number) => void,
): number {
  const ctl = h.ctl;
  const takeBackAt = performance.now() + chunkMs + 0.02;
  let left = ((1 << chunks) - 1) & ~mine;
  let back = 0;
  let spins = 0;
  while (left) {
    for (let i = 0; i < chunks; i++) {
      if (!(left & (1 << i))) continue;
      const state = Atomics.load(ctl, STATE + i);
      if (state === tag + 2) left &= ~(1 << i);
      else if (
        state === tag &&
        performance.now() > takeBackAt &&
        Atomics.compareExchange(ctl, STATE + i, tag, tag + 3) === tag
      ) {
        compute(i);
        back++;
        left &= ~(1 << i);
      } else if (state === tag + 1 && ++spins > 10_000 && canBlock) {
        try {
          Atomics.wait(ctl, STATE + i, tag + 1, 1); // the helper was paused while copying
        } catch {
          canBlock = false; // a browser's main thread: spin
        }
      }
    }
  }
  if (back && Atomics.load(ctl, TAKEN) !== Atomics.load(ctl, FINISHED)) {
    const finished = Atomics.load(ctl, FINISHED);
    if (!h.stuck || h.stuck.finished !== finished) h.stuck = { finished, since: Date.now() };
  }
  return back;
}

/**
 * Whether the helper has held one chunk without finishing it for longer than `timeoutMs`: it is
 * then taken for dead, and products go back to one thread.
 */
function helperStuck(h: Helper): boolean {
  if (!h.stuck) return false;
  const finished = Atomics.load(h.ctl, FINISHED);
  if (finished !== h.stuck.finished || Atomics.load(h.ctl, TAKEN) === finished) {
    h.stuck = null;
    return false;
  }
  if (Date.now() - h.stuck.since <= threadSettings.timeoutMs) return false;
  stop(`the helper thread did not finish a product within ${threadSettings.timeoutMs} ms`);
  return true;
}
