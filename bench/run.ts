// `npm run bench [-- --write] [-- --quick] …`: train the same networks in our engine, in
// TensorFlow.js (cpu and wasm backends) and in PyTorch (where Debian's python3-torch is
// installed) in one run, engines taking turns, and time our matrix kernels against the
// WebAssembly peak of their instruction set.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../node/atomic-write';
import { OURS_MODES, initialWeights, oursStepper } from './engines/ours';
import {
  type TfBackend,
  type TfBackendInfo,
  type TfLayout,
  tfjsStepper,
  useTfBackend,
} from './engines/tfjs';
import { type GemmOptions, type GemmResult, type HandOff, benchGemm, benchHandOff } from './gemm';
import { useTwoThreads } from '../cli/gemm-threads';
import { enableRelaxedSimd } from '../cli/relaxed-simd';
import {
  disableGemmThreads,
  splitProducts,
  splitRowCounts,
  threadSettings,
} from '../core/ops/kernels/gemm-threads';
import { chooseOuterBlocks, type OuterChoice } from '../core/ops/kernels/outer-block';
import { kernelInfo, setKernelMode, wasmEngine } from '../core/ops/kernels/wasm-kernel';
import { type Contender, type Measurement, measureAll } from './measure';
import { type PeakKind, type PeakSweep, relaxedMaddFused, sweepPeak } from './peak';
import { type Column, num, ratio, table } from './table';
import { type TorchInfo, openblasEnvironment, torchAvailable, torchStepper } from './engines/torch';
import { cliStepper } from './engines/cli';
import { measureUi, uiTable, type UiResult } from './ui-table';
import { benchPluginLayers, type PluginLayerResult, pluginTable } from './plugin-layer';
import { WORKLOADS, type Workload, makeData } from './workloads';

const USAGE = `usage: npm run bench [-- options]
  --write        also write the results to bench/results.md
  --quick        one short window per engine (a smoke run; numbers are rough)
  --steps N      time exactly N steps per window in every engine, instead of timed windows
  --bare         add a row for our engine driven without the Trainer (forward/backward/step)
  --one-thread   leave out the two-thread rows and column (ours and PyTorch)
  --no-torch     leave out PyTorch
  --tfjs-layout L  tfjs weight layout: in-out (x·W, as tf.layers.dense; default) or out-in (x·Wᵀ)
  --only LIST    run some of: ${[...WORKLOADS.map((w) => w.id), 'gemm', 'plugins', 'ui'].join(',')}
  --help         this text`;

interface Args {
  write: boolean;
  quick: boolean;
  steps?: number;
  bare: boolean;
  threads: boolean;
  torch: boolean;
  tfjsLayout: TfLayout;
  only: Set<string>;
}

function parseArgs(argv: string[]): Args {
  const all = [...WORKLOADS.map((w) => w.id), 'gemm', 'plugins', 'ui'];
  const a: Args = {
    write: false,
    quick: false,
    bare: false,
    threads: true,
    torch: true,
    tfjsLayout: 'in-out',
    only: new Set(all),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === '--write') a.write = true;
    else if (flag === '--quick') a.quick = true;
    else if (flag === '--bare') a.bare = true;
    else if (flag === '--one-thread') a.threads = false;
    else if (flag === '--no-torch') a.torch = false;
    else if (flag === '--steps') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) fail(`--steps needs a positive integer`);
      a.steps = n;
    } else if (flag === '--tfjs-layout') {
      const l = value();
      if (l !== 'in-out' && l !== 'out-in') fail(`--tfjs-layout is in-out or out-in, not ${l}`);
      a.tfjsLayout = l;
    } else if (flag === '--only') {
      const ids = value().split(',');
      const unknown = ids.filter((id) => !all.includes(id));
      if (unknown.length) fail(`--only: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
      a.only = new Set(ids);
    } else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${argv[i]}`);
  }
  return a;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

type EngineId =
  | 'ours'
  | 'ours-2t'
  | 'ours-portable'
  | 'ours-bare'
  | 'ours-cli'
  | `tfjs-${TfBackend}`
  | 'torch'
  | 'torch-2t';

/** Threads each engine trains on (the two-thread rows are compared with the one-thread ones). */
const THREADS: Partial<Record<EngineId, number>> = { 'ours-2t': 2, 'torch-2t': 2 };

interface Row {
  workload: Workload;
  engine: EngineId;
  m: Measurement;
}

const machine = () => {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version} (${os.platform()} ${os.arch()})`;
};

/** How the products of ours-2t were shared, by workload (for the notes). */
const shared = new Map<
  string,
  { products: number; rows: number; helper: number; takenBack: number; pauses: number }
>();

/** What each PyTorch process said about itself, by thread count (for the notes). */
const torchInfo = new Map<number, TorchInfo>();

async function runWorkload(
  w: Workload,
  args: Args,
  backends: readonly TfBackend[],
): Promise<Row[]> {
  const tuned: Workload = args.quick
    ? { ...w, repeats: 1, minSeconds: Math.min(w.minSeconds, 0.5) }
    : w;
  const data = makeData(tuned);
  const weights = initialWeights(tuned);
  const oneThread = (mode: 'fast' | 'portable') => async () => {
    disableGemmThreads();
    setKernelMode(mode);
  };
  const contenders: Contender[] = [
    {
      id: 'ours',
      activate: oneThread('fast'),
      create: () => oursStepper(tuned, data, 'trainer'),
    },
  ];
  if (args.threads)
    contenders.push({
      id: 'ours-2t',
      activate: async () => {
        setKernelMode('fast');
        useTwoThreads();
      },
      create: () => oursStepper(tuned, data, 'trainer'),
    });
  contenders.push({
    id: 'ours-portable',
    activate: oneThread('portable'),
    create: () => oursStepper(tuned, data, 'trainer'),
  });
  contenders.push({
    id: 'ours-cli',
    create: async () => cliStepper(tuned, data, ['--kernel', 'fast']),
  });
  if (args.bare)
    contenders.push({
      id: 'ours-bare',
      activate: oneThread('fast'),
      create: () => oursStepper(tuned, data, 'bare'),
    });
  for (const backend of backends) {
    contenders.push({
      id: `tfjs-${backend}`,
      activate: async () => void (await useTfBackend(backend)),
      create: () => tfjsStepper(tuned, data, weights, args.tfjsLayout),
    });
  }
  if (args.torch)
    for (const threads of args.threads ? [1, 2] : [1])
      contenders.push({
        id: threads === 1 ? 'torch' : 'torch-2t',
        create: async () => {
          const s = await torchStepper(tuned, data, weights, threads);
          torchInfo.set(threads, s.info);
          return s;
        },
      });
  const productsBefore = splitProducts();
  const rowsBefore = splitRowCounts();
  const results = await measureAll(tuned, contenders, {
    fixedSteps: args.steps,
    onPhase: (what) => progress(`  ${what}`),
  });
  disableGemmThreads();
  setKernelMode('fast');
  const rowsAfter = splitRowCounts();
  shared.set(w.id, {
    products: splitProducts() - productsBefore,
    rows: rowsAfter.rows - rowsBefore.rows,
    helper: rowsAfter.helper - rowsBefore.helper,
    takenBack: rowsAfter.takenBack - rowsBefore.takenBack,
    pauses: rowsAfter.pauses - rowsBefore.pauses,
  });
  return contenders.map((c) => ({
    workload: tuned,
    engine: c.id as EngineId,
    m: results.get(c.id)!,
  }));
}

/** Relative difference, for checking that every engine computed the same losses. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
// Float32 in every engine, summed in different orders: agreement to this much means same work.
const FIRST_TOL = 1e-4;
const WARMUP_TOL = 1e-3;

function trainingTable(rows: Row[]): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const out: string[][] = [];
  for (const w of new Set(rows.map((r) => r.workload))) {
    const mine = rows.filter((r) => r.workload === w);
    const ours = mine.find((r) => r.engine === 'ours');
    const rate = (e: EngineId) => mine.find((r) => r.engine === e)?.m.stepsPerSecond ?? NaN;
    const cpuRate = (e: EngineId) => mine.find((r) => r.engine === e)?.m.samplesPerCpuSecond ?? NaN;
    const best = Math.max(
      ...mine.filter((r) => r.engine.startsWith('tfjs')).map((r) => r.m.stepsPerSecond),
    );
    for (const r of mine) {
      const flag = (x: number, ref: number | undefined, tol: number, what: string) => {
        if (!Number.isFinite(x)) return '—';
        const shown = x.toPrecision(6);
        if (ref === undefined || rel(x, ref) <= tol) return shown;
        warnings.push(
          `${w.id}: ${r.engine} ${what} ${x} differs from ours (${ref}) by more than ${tol} (relative)`,
        );
        return `${shown} (!)`;
      };
      const isOurs = r.engine.startsWith('ours');
      const total = r.m.windows.reduce((s, x) => s + x.steps, 0);
      const secs = r.m.windows.reduce((s, x) => s + x.seconds, 0);
      out.push([
        w.title,
        r.engine,
        `${total} in ${secs < 10 ? secs.toFixed(2) : secs.toFixed(1)} s`,
        num(r.m.stepsPerSecond),
        `${num(r.m.minStepsPerSecond)}–${num(r.m.maxStepsPerSecond)}`,
        num(r.m.samplesPerSecond),
        flag(r.m.firstLoss, ours?.m.firstLoss, FIRST_TOL, 'first-step loss'),
        flag(r.m.warmupLoss, ours?.m.warmupLoss, WARMUP_TOL, `loss after ${w.warmupSteps} steps`),
        THREADS[r.engine] === 2 || !Number.isFinite(r.m.samplesPerCpuSecond)
          ? ''
          : num(r.m.samplesPerCpuSecond),
        isOurs ? ratio(r.m.stepsPerSecond / best) : '',
        isOurs
          ? ratio(r.m.stepsPerSecond / rate(THREADS[r.engine] === 2 ? 'torch-2t' : 'torch'))
          : '',
        isOurs && THREADS[r.engine] !== 2 && Number.isFinite(r.m.samplesPerCpuSecond)
          ? ratio(r.m.samplesPerCpuSecond / cpuRate('torch'))
          : '',
        THREADS[r.engine] === 2
          ? ratio(r.m.stepsPerSecond / rate(r.engine === 'ours-2t' ? 'ours' : 'torch'))
          : '',
      ]);
    }
  }
  const columns: Column[] = [
    { title: 'benchmark' },
    { title: 'engine' },
    { title: 'timed steps', align: 'right' },
    { title: 'steps/s', align: 'right' },
    { title: 'windows min–max', align: 'right' },
    { title: 'samples/s', align: 'right' },
    { title: 'loss@1', align: 'right' },
    { title: 'loss@warm-up', align: 'right' },
    { title: 'samples per CPU s', align: 'right' },
    { title: 'ours/best tfjs', align: 'right' },
    { title: 'ours/PyTorch, same threads', align: 'right' },
    { title: 'ours/PyTorch per CPU s', align: 'right' },
    { title: '2 threads/1 thread', align: 'right' },
  ];
  return { text: table(columns, out), warnings };
}

/**
 * The MLP where a user trains it: the command line (ours-cli, taking turns with the others) and
 * the app's worker in Chromium (measured afterwards, by bench/ui/app-speed.spec.ts), beside the
 * benchmark's own loop.
 */
function whereTable(rows: Row[], ui: UiResult | null): string | null {
  const app = ui?.rows.find((m) => m.samplesPerSecond !== undefined);
  const mlp = rows.filter((r) => r.workload.id === 'mlp');
  if (!app && !mlp.some((r) => r.engine === 'ours-cli')) return null;
  const torch = mlp.find((x) => x.engine === 'torch')?.m.samplesPerSecond;
  const ofTorch = (samples: number) => (torch ? `${(samples / torch).toFixed(2)}×` : '—');
  const line = (id: EngineId, where: string): string[] | null => {
    const r = mlp.find((x) => x.engine === id);
    return r
      ? [
          where,
          num(r.m.samplesPerSecond),
          ofTorch(r.m.samplesPerSecond),
          'in the table above, taking turns',
        ]
      : null;
  };
  const out = [
    line('ours', 'the benchmark loop (Trainer.step), 1 thread'),
    line('ours-2t', 'the benchmark loop (Trainer.step), 2 threads'),
    line('ours-cli', 'backprop-lab train --threads 1'),
    app
      ? [
          "the app's training worker (web build in Chromium, cross-origin isolated)",
          num(app.samplesPerSecond!),
          ofTorch(app.samplesPerSecond!),
          `${(app.windowMs / 1000).toFixed(1)} s window after the table above; toolbar: "${app.engine ?? ''}"`,
        ]
      : null,
  ].filter((x): x is string[] => x !== null);
  return [
    'MLP 784-256-128-10, batch 128, where a user trains it (÷ PyTorch: the torch row above, one thread):',
    table(
      [
        { title: 'trained by' },
        { title: 'samples/s', align: 'right' },
        { title: '÷ PyTorch, 1 thread', align: 'right' },
        { title: 'measured' },
      ],
      out,
    ),
  ].join('\n\n');
}

const pct = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(100 * x)} %`;

function gemmTable(results: GemmResult[]): string {
  const threads = results.some((r) => r.twoThreads !== undefined);
  const columns: Column[] = [
    { title: 'product' },
    { title: 'kernel' },
    { title: 'm×n×k' },
    { title: 'portable GFLOP/s', align: 'right' },
    { title: 'of plain-SIMD peak', align: 'right' },
    { title: 'fast GFLOP/s', align: 'right' },
    { title: 'of relaxed-SIMD peak', align: 'right' },
    ...(threads ? [{ title: 'fast, 2 threads (wall)', align: 'right' } as Column] : []),
    { title: 'TS fallback', align: 'right' },
    { title: 'tfjs-wasm', align: 'right' },
    { title: 'fast/tfjs', align: 'right' },
    { title: 'max abs diff', align: 'right' },
  ];
  const rows = results.map((r) => [
    r.gemm.label,
    r.gemm.kernel,
    `${r.gemm.m}×${r.gemm.n}×${r.gemm.k}`,
    num(r.portable.gflops),
    pct(r.portable.ofPeak),
    r.fast ? num(r.fast.gflops) : '—',
    pct(r.fast?.ofPeak),
    ...(threads ? [r.twoThreads !== undefined ? num(r.twoThreads) : ''] : []),
    num(r.ts),
    num(r.tfjs),
    ratio((r.fast ?? r.portable).gflops / r.tfjs),
    r.maxAbsDiff.toExponential(1),
  ]);
  return table(columns, rows);
}

const gemmOptions = (args: Args): Omit<GemmOptions, 'peaks'> =>
  args.quick ? { rounds: 3, minSeconds: 0.02 } : { rounds: 9, minSeconds: 0.05 };

const PEAK_NAMES: Record<PeakKind, string> = {
  plain: 'plain SIMD (f32x4.mul + f32x4.add)',
  relaxed: 'relaxed SIMD (f32x4.relaxed_madd)',
};

function peakLines(peaks: Partial<Record<PeakKind, PeakSweep>>, fused: boolean | null): string[] {
  return (['plain', 'relaxed'] as const).map((kind) => {
    const p = peaks[kind];
    if (!p) return `${PEAK_NAMES[kind]}: does not validate in this runtime`;
    const best = p.rates.find((r) => r.body === p.best.body && r.chains === p.best.chains)!;
    const fma =
      kind === 'relaxed' && fused !== null
        ? `; relaxed_madd ${fused ? 'rounds once here (a fused multiply-add)' : 'rounds the product first here (no FMA)'}`
        : '';
    // A block of our kernels keeps 8 accumulators (more spill in V8), and a fused multiply-add's
    // latency makes 8 chains slower than the peak here (docs/kernels.md); plain SIMD's chains
    // are adds, whose shorter latency 6 chains already hide.
    const eight = p.rates.filter((r) => r.chains === 8);
    const atEight =
      kind === 'relaxed'
        ? `; with 8 chains, as many accumulators as a block of our kernels keeps: ${eight.map((r) => `${num(r.gflops)} ${r.body}`).join(', ')}`
        : '';
    return `${PEAK_NAMES[kind]}: ${num(best.gflops)} GFLOP/s in the sweep, best with ${p.best.chains} independent ${p.best.body} chains${fma}${atEight}`;
  });
}

/** Which outer-product block each kernel runs in, and the timings that chose it. */
function blocksLine(c: OuterChoice | null): string {
  if (!c) return 'blocks: no WebAssembly kernel';
  const parts = (['portable', 'fast'] as const).flatMap((name, v) => {
    const t = c.times[v];
    return t
      ? [`${name} ${c.rows[v]} × 8 (4 × 8 ${t.four.toFixed(3)} ms, 6 × 8 ${t.six.toFixed(3)} ms)`]
      : [];
  });
  return `blocks of δ·W and δᵀ·x, chosen by timing four 128×256×128 products in each (core/ops/kernels/outer-block.ts; the same bits either way): ${parts.join(', ')}`;
}

function handOffLine(h: HandOff | null): string {
  if (!h) return 'hand-off to the helper thread: not measured (two threads do not run here)';
  const cost = h.twoThreadsUs - h.oneThreadUs / 2;
  return `hand-off to the helper thread (a ${h.shape} product shared anyway, in 4-row chunks, wall time): ${h.oneThreadUs.toFixed(2)} µs on one thread, ${h.twoThreadsUs.toFixed(2)} µs on two: about ${cost.toFixed(2)} µs per shared product for posting it, both threads taking chunks from the counter and waiting for the helper's last one`;
}

/** How ours-2t's products were shared, for its note. */
function sharedLine(): string {
  const parts = [...shared]
    .filter(([, s]) => s.products > 0)
    .map(
      ([id, s]) =>
        `${id}: ${s.products.toLocaleString('en-US')} products shared, the helper computed ${pct(s.helper / s.rows)} of their rows, ${plural(s.takenBack, 'chunk')} taken back from it, ${plural(s.pauses, 'pause')} on one thread while it computed too little`,
    );
  return parts.length ? ` (${parts.join('; ')})` : '';
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const relaxed = enableRelaxedSimd(); // before the first product, as the command line does
  const blocks = chooseOuterBlocks(); // by timing, as the command line and the app's worker do
  const started = performance.now();
  const loadBefore = os.loadavg();
  const torch = args.torch
    ? torchAvailable()
    : { ok: false as const, reason: 'left out (--no-torch)' };
  if (!torch.ok) {
    progress(`bench: PyTorch: ${torch.reason}`);
    args.torch = false;
  }
  const backends = new Map<TfBackend, TfBackendInfo>();
  for (const b of ['cpu', 'wasm'] as const) backends.set(b, await useTfBackend(b));
  const wasm = backends.get('wasm')!;
  if (!wasm.simd) progress('bench: warning: the wasm backend is running without SIMD');

  const rows: Row[] = [];
  for (const w of WORKLOADS) {
    if (!args.only.has(w.id)) continue;
    progress(`${w.title}`);
    rows.push(...(await runWorkload(w, args, [...backends.keys()])));
  }
  let gemm: GemmResult[] = [];
  const peaks: Partial<Record<PeakKind, PeakSweep>> = {};
  let fused: boolean | null = null;
  let handOff: HandOff | null = null;
  if (args.only.has('gemm')) {
    progress('WebAssembly peak probes');
    for (const kind of ['plain', 'relaxed'] as const) {
      const p = await sweepPeak(kind);
      if (p) peaks[kind] = p;
    }
    fused = await relaxedMaddFused();
    progress('matrix products');
    await useTfBackend('wasm');
    gemm = benchGemm({ ...gemmOptions(args), threads: args.threads, peaks });
    if (args.threads) handOff = benchHandOff(gemmOptions(args) as GemmOptions);
    setKernelMode('fast');
  }

  let plugins: PluginLayerResult | null = null;
  if (args.only.has('plugins')) {
    progress('plugin layers');
    plugins = benchPluginLayers({
      ...(args.quick
        ? { seconds: 0.5, repeats: 1, rounds: 1 }
        : { seconds: 1.5, repeats: 3, rounds: 3 }),
      onPhase: (what) => progress(`  ${what}`),
    });
  }

  let ui: UiResult | null = null;
  if (args.only.has('ui')) {
    progress('the UI thread while training (Playwright, Chromium)');
    ui = measureUi();
  }

  const window = args.steps
    ? `${args.steps} steps per window`
    : args.quick
      ? '1 window of ≥ 0.5 s per engine (quick: rough numbers)'
      : WORKLOADS.filter((w) => args.only.has(w.id))
          .map(
            (w) =>
              `${w.id}: ${w.warmupSteps} warm-up steps, then the median of ${plural(w.repeats, 'window')} of ≥ ${w.minSeconds} s, engines taking turns`,
          )
          .join('; ');
  const loadAfter = os.loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  const engine = wasmEngine();
  const notes = [
    `machine: ${machine()}; load average (1, 5, 15 min) ${load(loadBefore)} at the start, ${load(loadAfter)} at the end${loadBefore[0] > 1.5 || loadAfter[0] > 1.5 ? ' (the machine was shared: other processes ran during the measurement)' : ''}`,
    `ours: ${OURS_MODES.trainer}${args.bare ? `; ours-bare: ${OURS_MODES.bare}` : ''}`,
    `our matrix kernels (core/ops/kernels/wasm/gemm.wat): ours and ours-2t in the fast mode (${kernelInfo().kernel}${relaxed === 'enabled by flag' ? '; Node 20: relaxed SIMD enabled by --experimental-wasm-relaxed-simd for this process, as the command line does' : ''}), ours-portable in the portable mode (WebAssembly SIMD, the same bits on every machine)${engine ? '' : ' — WebAssembly SIMD is missing here: the TypeScript kernels ran'}`,
    blocksLine(blocks),
    ...(args.threads
      ? [
          `ours-2t: ours with each matrix product of ≥ ${threadSettings.minProduct.toLocaleString('en-US')} multiply-adds shared by rows between this thread and a worker thread sharing the kernels' WebAssembly memory (what the app does where the page is cross-origin isolated): both take chunks of rows from one counter, so a helper that is late takes fewer${sharedLine()}; the fused plan's buffers live in that memory, so no operand is copied in`,
        ]
      : []),
    `ours-cli: \`backprop-lab train PROJECT --threads 1 --kernel fast\` in a process of its own on the workload written as a project file (data inline, no test split), each window one run of whole epochs timed by the command's report (the training loop only: startup and reading the file left out); its losses are epoch means, not compared`,
    `tfjs-cpu: @tensorflow/tfjs-backend-cpu, ${backends.get('cpu')!.description}`,
    `tfjs-wasm: @tensorflow/tfjs-backend-wasm, ${wasm.description}`,
    `tfjs step: optimizer.minimize(loss, true) in tf.tidy, loss read with dataSync; weights copied from ours (layout ${args.tfjsLayout === 'in-out' ? '[in, out], x·W as tf.layers.dense' : '[out, in], x·Wᵀ via transposeB'}); same batches in the same order`,
    ...(args.torch && torchInfo.size
      ? [...torchInfo].map(
          ([threads, t]) =>
            `${threads === 1 ? 'torch' : 'torch-2t'}: PyTorch ${t.torch} (Debian's python3-torch, /usr/bin/python3), torch.get_num_threads() ${t.threads}, BLAS loaded: ${t.blas.join(', ') || 'none found in its memory map'}${openblasEnvironment().length ? ` (environment: ${openblasEnvironment().join(' ')})` : ''}; step: zero_grad, forward, loss, backward, SGD step, loss.item(); same weights, same batches in the same order`,
        )
      : [`PyTorch: ${torch.ok ? 'not run' : torch.reason}`]),
    `timing: ${window}`,
    `ratio = our steps/s ÷ theirs (above 1: ours is faster), wall time; "per CPU s": samples per second of CPU time of the engine's process, for the one-thread engines (what a window would give on an idle machine, nearly: the time the OS gave other processes is left out); loss@1 and loss@warm-up check that every engine trains the same thing`,
  ];
  const training = rows.length ? trainingTable(rows) : null;
  const sections: string[] = [];
  if (training) sections.push(training.text);
  const where = whereTable(rows, ui);
  if (where) sections.push(where);
  if (training?.warnings.length)
    sections.push(training.warnings.map((x) => `WARNING: ${x}`).join('\n'));
  if (gemm.length) {
    sections.push(
      [
        `Matrix products of a training step: the MLP's layers at batch 128 and small layers at batch 16, dense random operands in the kernels' memory (as the fused plan keeps them).`,
        `GFLOP/s = 2·m·n·k per second of CPU time of this process (time the OS gave other processes is left out), the median of ${plural(gemmOptions(args).rounds, 'round')};`,
        `in each round every kernel takes one window of ${gemmOptions(args).minSeconds} s, the portable one right after a window of the plain-SIMD peak probe and the fast one right after the relaxed-SIMD probe,`,
        `and "of peak" is the median of those per-round ratios. The probe (bench/peak.ts) runs independent f32x4 multiply-add chains, the most this instruction set does here:`,
        ...peakLines(peaks, fused).map((l) => `- ${l}`),
        `Two threads: wall time (both threads work), products of ≥ ${threadSettings.minProduct.toLocaleString('en-US')} multiply-adds only.`,
        `- ${handOffLine(handOff)}`,
        `tfjs-wasm: tf.matMul with transposeA/transposeB, a B it has not seen every product (as in training, where the weights change every step).`,
      ].join('\n'),
      gemmTable(gemm),
    );
  }
  if (plugins) sections.push(pluginTable(plugins));
  if (ui) sections.push(uiTable(ui));
  console.log([notes.join('\n'), ...sections].join('\n\n'));
  progress(`bench: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  if (args.write) {
    const file = fileURLToPath(new URL('./results.md', import.meta.url));
    const date = new Date().toISOString().slice(0, 10);
    const md = [
      '# Benchmark results',
      '',
      `Measured ${date} with \`npm run bench -- ${process.argv.slice(2).join(' ')}\`. The engine changes; rerun to refresh.`,
      '',
      ...notes.map((n) => `- ${n}`),
      '',
      ...sections.flatMap((s) => [s, '']),
    ].join('\n');
    writeFileAtomic(file, md);
    progress(`bench: wrote ${file}`);
  }
}

await main();
