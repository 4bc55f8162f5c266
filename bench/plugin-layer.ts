// `npm run bench`'s plugin-layer row: a network with two plugin layers (the shipped Wacky, with
// its own backward, and Swish, differentiated by autograd) trained with the plugins loaded as the
// command line loads them, and loaded as plain modules with nothing confined (how plugins ran
// before they were sandboxed). Each runs in its own process, taking turns, so that background
// load falls on both; the goal is the command line's speed within 10 % of the plain one.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PLUGIN_WORKLOAD } from './plugin-workload';
import { type Column, num, ratio, table } from './table';

const root = fileURLToPath(new URL('../', import.meta.url));

export type PluginMode = 'plain' | 'cli';

export const PLUGIN_MODES: Record<PluginMode, string> = {
  plain: 'plugins as plain ES modules, nothing confined (the reference)',
  cli: 'plugins loaded as the command line loads them',
};

/** The slowest the command line may be against the plain modules. */
export const PLUGIN_GOAL = 0.9;

export interface PluginLayerResult {
  rows: {
    mode: PluginMode;
    /** Median over the windows, per second of wall time and per second of CPU time. */
    stepsPerSecond: number;
    stepsPerCpuSecond: number;
    windows: number[];
    warmupLoss: number;
  }[];
  problem?: string;
}

export interface PluginBenchOptions {
  /** Seconds per timed window. */
  seconds: number;
  /** Windows per process. */
  repeats: number;
  /** Processes per mode, taking turns. */
  rounds: number;
  onPhase?: (what: string) => void;
}

function runChild(mode: PluginMode, o: PluginBenchOptions) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/plugin-layer-child.ts', mode, String(o.seconds), String(o.repeats)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`the ${mode} run failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    warmupLoss: number;
    windows: { steps: number; seconds: number; cpuSeconds: number }[];
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function benchPluginLayers(o: PluginBenchOptions): PluginLayerResult {
  const rates: Record<PluginMode, number[]> = { plain: [], cli: [] };
  const cpuRates: Record<PluginMode, number[]> = { plain: [], cli: [] };
  const losses: Record<PluginMode, number> = { plain: NaN, cli: NaN };
  try {
    for (let round = 0; round < o.rounds; round++) {
      // Alternate who goes first, as the training benchmarks do.
      const order: PluginMode[] = round % 2 ? ['cli', 'plain'] : ['plain', 'cli'];
      for (const mode of order) {
        o.onPhase?.(`${mode}, round ${round + 1} of ${o.rounds}`);
        const r = runChild(mode, o);
        losses[mode] = r.warmupLoss;
        rates[mode].push(...r.windows.map((w) => w.steps / w.seconds));
        cpuRates[mode].push(...r.windows.map((w) => w.steps / w.cpuSeconds));
      }
    }
  } catch (e) {
    return { rows: [], problem: (e as Error).message };
  }
  return {
    rows: (['plain', 'cli'] as const).map((mode) => ({
      mode,
      stepsPerSecond: median(rates[mode]),
      stepsPerCpuSecond: median(cpuRates[mode]),
      windows: rates[mode],
      warmupLoss: losses[mode],
    })),
  };
}

export function pluginTable(r: PluginLayerResult): string {
  if (r.problem) return `Plugin layers: not measured (${r.problem}).`;
  const plain = r.rows.find((x) => x.mode === 'plain')!;
  const columns: Column[] = [
    { title: 'benchmark' },
    { title: 'plugins' },
    { title: 'windows', align: 'right' },
    { title: 'steps/s (median)', align: 'right' },
    { title: 'windows min–max', align: 'right' },
    { title: 'steps per CPU-s', align: 'right' },
    { title: 'loss@warm-up', align: 'right' },
    { title: `÷ plain, CPU time (goal ≥ ${PLUGIN_GOAL})`, align: 'right' },
  ];
  const rows = r.rows.map((x) => {
    // By CPU time: other processes on the machine change the wall time of both alike only on average.
    const share = x.stepsPerCpuSecond / plain.stepsPerCpuSecond;
    return [
      PLUGIN_WORKLOAD.title,
      PLUGIN_MODES[x.mode],
      String(x.windows.length),
      num(x.stepsPerSecond),
      `${num(Math.min(...x.windows))}–${num(Math.max(...x.windows))}`,
      num(x.stepsPerCpuSecond),
      x.warmupLoss.toPrecision(6),
      x.mode === 'plain' ? '' : `${ratio(share)} ${share >= PLUGIN_GOAL ? 'met' : 'MISSED'}`,
    ];
  });
  return [
    'Plugin layers: the same network and data in separate processes taking turns, each after ' +
      `${PLUGIN_WORKLOAD.warmupSteps} warm-up steps.`,
    table(columns, rows),
  ].join('\n');
}
