import { performance } from 'node:perf_hooks';
import type { Workload } from './workloads';

/** One engine set up to train one workload. `step` trains one batch and returns its loss. */
export interface Stepper {
  /** The loss of the batch, read back from the engine so that the step has really run. */
  step(): number;
  dispose(): void;
}

/**
 * An engine in another process (PyTorch): it runs its warm-up and its timed windows itself,
 * told when, and answers with the losses and the steps and seconds of each window.
 */
export interface RemoteStepper {
  warmup(steps: number): Promise<{ first: number; last: number }>;
  window(minSteps: number, minSeconds: number, fixedSteps: number | undefined): Promise<Window>;
  dispose(): void;
}

/** One timed window: steps, wall seconds, and CPU seconds of the engine's process. */
export interface Window {
  steps: number;
  seconds: number;
  cpuSeconds: number;
}

/** An engine in the race: how to make it current (a tfjs backend) and how to set it up. */
export interface Contender {
  id: string;
  activate?: () => Promise<void>;
  create: () => Stepper | Promise<RemoteStepper>;
}

const isRemote = (s: Stepper | RemoteStepper): s is RemoteStepper => 'warmup' in s;

export interface Measurement {
  /** Loss of the very first step (same weights, same batch in every engine). */
  firstLoss: number;
  /** Loss of the last warm-up step (same number of steps in every engine). */
  warmupLoss: number;
  /** Steps and seconds of each timed window. */
  windows: Window[];
  /** Median over the windows. */
  stepsPerSecond: number;
  samplesPerSecond: number;
  /** Slowest and fastest window, to show how noisy the machine was. */
  minStepsPerSecond: number;
  maxStepsPerSecond: number;
  /**
   * Median samples per second of CPU time of the engine's process: for an engine on one thread,
   * its speed with the time the OS gave other processes left out (a shared machine's noise).
   */
  samplesPerCpuSecond: number;
}

export interface MeasureOptions {
  /** Run exactly this many steps per window in every engine, instead of timed windows. */
  fixedSteps?: number;
  /** Called before each engine's warm-up and windows, for progress output. */
  onPhase?: (what: string) => void;
}

/**
 * Warm every engine up with the same number of steps, then time `w.repeats` rounds of one
 * window per engine, rotating who goes first, so that background load on a shared machine falls
 * on all engines alike; report each engine's median window. A window runs until both its
 * minimum time and its minimum step count are reached, or exactly `fixedSteps` steps.
 */
export async function measureAll(
  w: Workload,
  contenders: readonly Contender[],
  o: MeasureOptions = {},
): Promise<Map<string, Measurement>> {
  const steppers: (Stepper | RemoteStepper)[] = [];
  const losses: { first: number; warmup: number }[] = [];
  const windows: Window[][] = contenders.map(() => []);
  try {
    for (const c of contenders) {
      o.onPhase?.(`${c.id} warm-up`);
      await c.activate?.();
      const s = await c.create();
      steppers.push(s);
      if (isRemote(s)) {
        const { first, last } = await s.warmup(w.warmupSteps);
        losses.push({ first, warmup: last });
        continue;
      }
      const first = s.step();
      let warmup = first;
      for (let i = 1; i < w.warmupSteps; i++) warmup = s.step();
      losses.push({ first, warmup });
    }
    for (let r = 0; r < w.repeats; r++) {
      o.onPhase?.(`round ${r + 1}/${w.repeats}`);
      for (let j = 0; j < contenders.length; j++) {
        const i = (j + r) % contenders.length;
        await contenders[i].activate?.();
        const s = steppers[i];
        windows[i].push(
          isRemote(s)
            ? await s.window(w.minSteps, w.minSeconds, o.fixedSteps)
            : timeWindow(w, s, o.fixedSteps),
        );
      }
    }
  } finally {
    for (const s of steppers) s.dispose();
  }
  const out = new Map<string, Measurement>();
  contenders.forEach((c, i) => {
    const rates = windows[i].map((x) => x.steps / x.seconds);
    const stepsPerSecond = median(rates);
    out.set(c.id, {
      firstLoss: losses[i].first,
      warmupLoss: losses[i].warmup,
      windows: windows[i],
      stepsPerSecond,
      samplesPerSecond: stepsPerSecond * w.batchSize,
      samplesPerCpuSecond: median(windows[i].map((x) => x.steps / x.cpuSeconds)) * w.batchSize,
      minStepsPerSecond: Math.min(...rates),
      maxStepsPerSecond: Math.max(...rates),
    });
  });
  return out;
}

/** One timed window. Reading the clock costs well under 1% of even the smallest step. */
function timeWindow(w: Workload, s: Stepper, fixedSteps: number | undefined): Window {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let steps = 0,
    seconds: number;
  for (;;) {
    s.step();
    steps++;
    seconds = (performance.now() - t0) / 1000;
    if (
      fixedSteps !== undefined
        ? steps >= fixedSteps
        : steps >= w.minSteps && seconds >= w.minSeconds
    )
      break;
  }
  return { steps, seconds, cpuSeconds: cpuSeconds() - c0 };
}

/** The median of a list of numbers (upper median for even lengths). */
export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Seconds of CPU time this process has run: a single-threaded measurement timed with it
 * leaves out the time the OS gave other processes (on a shared machine, most of the noise).
 */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
