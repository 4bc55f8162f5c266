import { scratchSpace, SLACK } from './resident';
import { type OuterRows, type Variant, wasmEngine } from './wasm-kernel';

// Which block δ·W and δᵀ·x run in (wasm/gemm.wat): 4 × 8 (eight accumulators) or 6 × 8
// (twelve). Twelve hide more of a multiply-add's latency, but only where the runtime's register
// allocator keeps them all in registers: Chromium's V8 does (6 × 8 ran the MLP's products 5–13 %
// faster there), Node 20's spills them to the stack (half the speed). Both sum every entry of C
// in the same order, so the choice changes no bit: it is made by timing, on this machine, once,
// by the hosts that train (the app's worker, the command line, the benchmark).

/** A product of the MLP's size class (128 × 256 × 128, δ·W), timed in both blocks. */
const SHAPE = { m: 128, n: 256, k: 128 };
/**
 * Rounds of `CALLS` calls in each block, alternating; the fastest round of each counts. The
 * first rounds may run before the runtime's optimizing compiler has the code of both blocks, so
 * rounds go on (up to MAX_ROUNDS) until neither best time has improved by 1 % in STEADY rounds.
 */
const MIN_ROUNDS = 8;
const MAX_ROUNDS = 48;
const STEADY = 4;
const CALLS = 4;
/** 6 × 8 is kept only when it is at least this much faster (noise does not flip the choice). */
const MARGIN = 0.97;

/** One variant's fastest round in each block, ms. */
export interface BlockTimes {
  four: number;
  six: number;
}

/** What was chosen for each kernel variant, and the timings that chose it. */
export interface OuterChoice {
  rows: [OuterRows, OuterRows | null];
  times: [BlockTimes, BlockTimes | null];
}

/** Times `CALLS` products of `variant` in the block `rows`, in ms. */
export type BlockTimer = (variant: Variant, rows: OuterRows) => number;

/** The block to keep given both timings. */
export function fasterBlock(t: BlockTimes): OuterRows {
  return t.six < MARGIN * t.four ? 6 : 4;
}

function realTimer(): BlockTimer | null {
  const e = wasmEngine();
  if (!e) return null;
  const { m, n, k } = SHAPE;
  const bytes = (m * k + k * n + m * n) * 4 + 2 * SLACK;
  const { at, mem } = scratchSpace(e, bytes);
  mem.fill(0, at >> 2, (at + bytes) >> 2); // zeros: no denormals, nothing left from before
  const a = at,
    b = a + m * k * 4 + SLACK,
    c = b + k * n * 4 + SLACK;
  return (variant, rows) => {
    const kernel = e.kernels[variant]!;
    kernel.setOuterRows(rows);
    const nn = kernel.entries[0];
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) nn(a, b, c, m, n, k, 0, m, 0);
    return performance.now() - t0;
  };
}

/**
 * Times both blocks of each kernel variant and keeps the faster in each. Null where there is
 * no WebAssembly kernel, or the timing failed (then 4 × 8 stays). About 10–40 ms; `timer`
 * stands in for the clock in tests.
 */
export function chooseOuterBlocks(timer?: BlockTimer): OuterChoice | null {
  try {
    return choose(timer ?? realTimer());
  } catch {
    // no memory for the timing products: the 4 × 8 block stays, which is always right
    for (const kernel of wasmEngine()?.kernels ?? []) kernel?.setOuterRows(4);
    return null;
  }
}

function choose(timer: BlockTimer | null): OuterChoice | null {
  const e = wasmEngine();
  if (!e || !timer) return null;
  const times = e.kernels.map((kernel, variant) =>
    kernel ? timeBoth(timer, variant as Variant) : null,
  ) as OuterChoice['times'];
  const rows = times.map((t, variant) => {
    if (!t) return null;
    const r = fasterBlock(t);
    e.kernels[variant]!.setOuterRows(r);
    return r;
  }) as OuterChoice['rows'];
  return { rows, times };
}

/** The fastest round of each block, alternating, until neither improves (see MIN_ROUNDS). */
function timeBoth(timer: BlockTimer, variant: Variant): BlockTimes {
  const t: BlockTimes = { four: Infinity, six: Infinity };
  let steady = 0;
  for (let r = 0; r < MAX_ROUNDS && (r < MIN_ROUNDS || steady < STEADY); r++) {
    const four = timer(variant, 4),
      six = timer(variant, 6);
    steady = four < 0.99 * t.four || six < 0.99 * t.six ? 0 : steady + 1;
    t.four = Math.min(t.four, four);
    t.six = Math.min(t.six, six);
  }
  return t;
}

/** Puts a variant in a block, whatever the timing chose (the kernel tests run both). */
export function setOuterRows(variant: Variant, rows: OuterRows): void {
  wasmEngine()?.kernels[variant]?.setOuterRows(rows);
}
