// What WebAssembly SIMD can do on this machine: a probe of independent f32x4 multiply-add
// chains for each instruction set the kernels use, plain SIMD (f32x4.mul then f32x4.add) and
// relaxed SIMD (f32x4.relaxed_madd). The matrix products' GFLOP/s are shown as a share of it.
//
// Two loop bodies, each with 4 … 15 chains:
// - "chained":    c ← c·y + x, unrolled four times (the multiply is on the chain: fewer chains
//   are latency-bound);
// - "accumulate": c ← c + v·y, v loaded from memory (the product is off the chain, as in a
//   matrix kernel; the load keeps the compiler from hoisting the product out of the loop). Not
//   unrolled: TurboFan schedules a block's loads before its arithmetic, and four rounds of loads
//   first would spill the chains (measured: about half the rate).
// Every chain starts from its own value, so none can be merged with another. The peak is the
// best (body, chains) in GFLOP/s = 8 per multiply-add of four lanes; which one it was is shown.
import wabt from 'wabt';
import { wasmApi } from '../core/ops/kernels/wasm-api';
import { cpuSeconds, median } from './measure';

export type PeakKind = 'plain' | 'relaxed';
type Body = 'chained' | 'accumulate';

const UNROLL: Record<Body, number> = { chained: 4, accumulate: 1 };
const CHAINS = [4, 6, 8, 10, 12, 13, 14, 15];

function probeWat(kind: PeakKind, body: Body, chains: number): string {
  const madd = (c: string, a: string, b: string) =>
    kind === 'relaxed'
      ? `(f32x4.relaxed_madd ${a} ${b} ${c})`
      : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`;
  const steps: string[] = [];
  for (let u = 0; u < UNROLL[body]; u++)
    for (let i = 0; i < chains; i++) {
      const c = `(local.get $c${i})`;
      const step =
        body === 'chained'
          ? madd('(local.get $x)', c, '(local.get $y)')
          : madd(c, `(v128.load offset=${(u * chains + i) * 16} (local.get $p))`, '(local.get $y)');
      steps.push(`(local.set $c${i} ${step})`);
    }
  const locals = Array.from({ length: chains }, (_, i) => `(local $c${i} v128)`).join(' ');
  const init = Array.from(
    { length: chains },
    (_, i) => `(local.set $c${i} (f32x4.splat (f32.const ${i + 1})))`,
  ).join(' ');
  const sum = Array.from({ length: chains }, (_, i) => `(local.get $c${i})`).reduce(
    (a, b) => `(f32x4.add ${a} ${b})`,
  );
  return `(module (memory (export "memory") 1)
  (func (export "run") (param $n i32) (result f32)
    (local $p i32) (local $x v128) (local $y v128) ${locals}
    (local.set $x (f32x4.splat (f32.const 0.001)))
    (local.set $y (f32x4.splat (f32.const 0.999)))
    ${init}
    (loop $l ${steps.join(' ')}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (f32x4.extract_lane 0 ${sum})))`;
}

interface Probe {
  run: (iterations: number) => number;
  flopsPerIteration: number;
}

let w: Awaited<ReturnType<typeof wabt>> | null = null;

async function compileProbe(kind: PeakKind, body: Body, chains: number): Promise<Probe | null> {
  w ??= await wabt();
  const features = { simd: true, relaxed_simd: true };
  const mod = w.parseWat('probe.wat', probeWat(kind, body, chains), features);
  mod.validate();
  const bytes = new Uint8Array(mod.toBinary({ log: false }).buffer);
  mod.destroy();
  const wasm = wasmApi()!;
  if (!wasm.validate(bytes)) return null; // relaxed SIMD missing in this runtime
  const inst = new wasm.Instance(new wasm.Module(bytes), {});
  const run = inst.exports.run as (n: number) => number;
  return { run, flopsPerIteration: UNROLL[body] * chains * 8 };
}

/** GFLOP/s of one window of at least `seconds`. */
function window(p: Probe, seconds: number): number {
  let iterations = 0;
  let n = 1000;
  const t0 = cpuSeconds();
  let elapsed = 0;
  while (elapsed < seconds) {
    p.run(n);
    iterations += n;
    elapsed = cpuSeconds() - t0;
    if (elapsed < seconds / 10) n *= 2;
  }
  return (iterations * p.flopsPerIteration) / elapsed / 1e9;
}

export interface PeakSweep {
  kind: PeakKind;
  /** GFLOP/s per body and chain count (one short window each). */
  rates: { body: Body; chains: number; gflops: number }[];
  best: { body: Body; chains: number };
  /** The best configuration, ready to time more windows. */
  probe: Probe;
}

/** Every body and chain count for one kind, once; null where the kind does not validate. */
export async function sweepPeak(kind: PeakKind, seconds = 0.05): Promise<PeakSweep | null> {
  const rates: PeakSweep['rates'] = [];
  let best: { body: Body; chains: number; probe: Probe; gflops: number } | null = null;
  for (const body of ['chained', 'accumulate'] as const)
    for (const chains of CHAINS) {
      const probe = await compileProbe(kind, body, chains);
      if (!probe) return null;
      for (let i = 0; i < 20; i++) probe.run(1000); // to the optimizing tier
      const gflops = Math.max(window(probe, seconds), window(probe, seconds));
      rates.push({ body, chains, gflops });
      if (!best || gflops > best.gflops) best = { body, chains, probe, gflops };
    }
  return { kind, rates, best: { body: best!.body, chains: best!.chains }, probe: best!.probe };
}

/** One window of the best probe, in GFLOP/s (interleaved with the products it is compared to). */
export function peakWindow(s: PeakSweep, seconds: number): number {
  return window(s.probe, seconds);
}

/** The median of windows taken so far. */
export const peakOf = (windows: number[]) => median(windows);

/**
 * Whether relaxed_madd rounds once here (a fused multiply-add): (1+2⁻²³)(1−2⁻²³) − 1 is −2⁻⁴⁶
 * fused and 0 with the product rounded first. Null where relaxed SIMD is missing.
 */
export async function relaxedMaddFused(): Promise<boolean | null> {
  w ??= await wabt();
  const features = { simd: true, relaxed_simd: true };
  const mod = w.parseWat(
    'fma.wat',
    `(module (func (export "f") (param f32 f32 f32) (result f32)
      (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))))`,
    features,
  );
  const bytes = new Uint8Array(mod.toBinary({ log: false }).buffer);
  mod.destroy();
  const wasm = wasmApi()!;
  if (!wasm.validate(bytes)) return null;
  const f = new wasm.Instance(new wasm.Module(bytes), {}).exports.f as (
    a: number,
    b: number,
    c: number,
  ) => number;
  return f(1 + 2 ** -23, 1 - 2 ** -23, -1) !== 0;
}
