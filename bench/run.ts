// `npm run bench [-- --write] [-- --quick] …`: train the same networks in our engine and in
// TensorFlow.js (cpu and wasm backends) in one run, and time our matrix kernels.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { OURS_MODES, initialWeights, oursStepper } from './engines/ours';
import {
  type TfBackend,
  type TfBackendInfo,
  type TfLayout,
  tfjsStepper,
  useTfBackend,
} from './engines/tfjs';
import { type GemmOptions, type GemmResult, benchGemm, ourKernelName } from './gemm';
import { useTwoThreads } from '../cli/gemm-threads';
import { disableGemmThreads, threadSettings } from '../core/ops/kernels/gemm-threads';
import { type Contender, type Measurement, measureAll } from './measure';
import { type Column, num, ratio, table } from './table';
import { measureUi, uiTable, type UiResult } from './ui-table';
import { benchPluginLayers, type PluginLayerResult, pluginTable } from './plugin-layer';
import { WORKLOADS, type Workload, makeData } from './workloads';

const USAGE = `usage: npm run bench [-- options]
  --write        also write the results to bench/results.md
  --quick        one short window per engine (a smoke run; numbers are rough)
  --steps N      time exactly N steps per window in every engine, instead of timed windows
  --bare         add a row for our engine driven without the Trainer (forward/backward/step)
  --one-thread   leave out our two-thread rows and column
  --tfjs-layout L  tfjs weight layout: in-out (x·W, as tf.layers.dense; default) or out-in (x·Wᵀ)
  --only LIST    run some of: ${[...WORKLOADS.map((w) => w.id), 'gemm', 'plugins', 'ui'].join(',')}
  --help         this text`;

interface Args {
  write: boolean;
  quick: boolean;
  steps?: number;
  bare: boolean;
  threads: boolean;
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

type EngineId = 'ours' | 'ours-2t' | 'ours-bare' | `tfjs-${TfBackend}`;

interface Row {
  workload: Workload;
  engine: EngineId;
  m: Measurement;
}

const machine = () => {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version} (${os.platform()} ${os.arch()})`;
};

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
  const contenders: Contender[] = [
    {
      id: 'ours',
      activate: async () => disableGemmThreads(),
      create: () => oursStepper(tuned, data, 'trainer'),
    },
  ];
  if (args.threads)
    contenders.push({
      id: 'ours-2t',
      activate: async () => void useTwoThreads(),
      create: () => oursStepper(tuned, data, 'trainer'),
    });
  if (args.bare)
    contenders.push({
      id: 'ours-bare',
      activate: async () => disableGemmThreads(),
      create: () => oursStepper(tuned, data, 'bare'),
    });
  for (const backend of backends) {
    contenders.push({
      id: `tfjs-${backend}`,
      activate: async () => void (await useTfBackend(backend)),
      create: () => tfjsStepper(tuned, data, weights, args.tfjsLayout),
    });
  }
  const results = await measureAll(tuned, contenders, {
    fixedSteps: args.steps,
    onPhase: (what) => progress(`  ${what}`),
  });
  disableGemmThreads();
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
    const best = Math.max(
      ...mine.filter((r) => r.engine.startsWith('tfjs')).map((r) => r.m.stepsPerSecond),
    );
    for (const r of mine) {
      const flag = (x: number, ref: number | undefined, tol: number, what: string) => {
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
        isOurs ? ratio(r.m.stepsPerSecond / rate('tfjs-cpu')) : '',
        isOurs ? ratio(r.m.stepsPerSecond / rate('tfjs-wasm')) : '',
        isOurs ? ratio(r.m.stepsPerSecond / best) : '',
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
    { title: 'ours/tfjs-cpu', align: 'right' },
    { title: 'ours/tfjs-wasm', align: 'right' },
    { title: 'ours/best-tfjs', align: 'right' },
  ];
  return { text: table(columns, out), warnings };
}

function gemmTable(results: GemmResult[]): string {
  const columns: Column[] = [
    { title: 'product' },
    { title: 'kernel' },
    { title: 'm×n×k' },
    { title: 'ours GFLOP/s', align: 'right' },
    ...(results.some((r) => r.ours2Gflops !== undefined)
      ? [{ title: 'ours, 2 threads', align: 'right' } as Column]
      : []),
    { title: 'ours TS fallback', align: 'right' },
    { title: 'tfjs-wasm, same B', align: 'right' },
    { title: 'tfjs-wasm, new B', align: 'right' },
    { title: 'ours/tfjs (new B)', align: 'right' },
    { title: 'max abs diff', align: 'right' },
  ];
  const rows = results.map((r) => [
    r.gemm.label,
    r.gemm.kernel,
    `${r.gemm.m}×${r.gemm.n}×${r.gemm.k}`,
    num(r.oursGflops),
    ...(r.ours2Gflops !== undefined ? [num(r.ours2Gflops)] : []),
    num(r.oursTsGflops),
    num(r.tfjsGflops),
    num(r.tfjsFreshGflops),
    ratio(r.oursGflops / r.tfjsFreshGflops),
    r.maxAbsDiff.toExponential(1),
  ]);
  return table(columns, rows);
}

const gemmOptions = (args: Args): GemmOptions =>
  args.quick ? { repeats: 1, minSeconds: 0.1 } : { repeats: 5, minSeconds: 0.2 };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
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
  if (args.only.has('gemm')) {
    progress('matrix products');
    await useTfBackend('wasm');
    gemm = benchGemm({ ...gemmOptions(args), threads: args.threads });
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
  const notes = [
    `machine: ${machine()}`,
    `ours: ${OURS_MODES.trainer}${args.bare ? `; ours-bare: ${OURS_MODES.bare}` : ''}`,
    `our matrix kernel: ${ourKernelName()}`,
    ...(args.threads
      ? [
          `ours-2t: ours with each matrix product of ≥ ${threadSettings.minProduct.toLocaleString('en-US')} multiply-adds split by rows between this thread and a worker thread sharing the kernel's WebAssembly memory (what the app does where the page is cross-origin isolated)`,
        ]
      : []),
    `tfjs-cpu: @tensorflow/tfjs-backend-cpu, ${backends.get('cpu')!.description}`,
    `tfjs-wasm: @tensorflow/tfjs-backend-wasm, ${wasm.description}`,
    `tfjs step: optimizer.minimize(loss, true) in tf.tidy, loss read with dataSync; weights copied from ours (layout ${args.tfjsLayout === 'in-out' ? '[in, out], x·W as tf.layers.dense' : '[out, in], x·Wᵀ via transposeB'}); same batches in the same order`,
    `timing: ${window}`,
    `ratio = our steps/s ÷ theirs (above 1: ours is faster); loss@1 and loss@warm-up check that every engine trains the same thing`,
  ];
  const training = rows.length ? trainingTable(rows) : null;
  const sections: string[] = [];
  if (training) sections.push(training.text);
  if (training?.warnings.length)
    sections.push(training.warnings.map((x) => `WARNING: ${x}`).join('\n'));
  if (gemm.length) {
    sections.push(
      [
        `Matrix products at the MLP's shapes (batch 128), dense random operands, GFLOP/s = 2·m·n·k / s (median of ${plural(gemmOptions(args).repeats, 'window')}).`,
        `tfjs: tf.matMul with transposeA/transposeB on the wasm backend; "same B" reuses one B tensor, whose packed copy the backend caches,`,
        `"new B" gives every product a B it has not seen, as in training where the weights change every step.`,
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
    writeFileSync(file, md);
    progress(`bench: wrote ${file}`);
  }
}

await main();
