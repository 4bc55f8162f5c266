import { performance } from 'node:perf_hooks';
import type { Workload } from './workloads';

/** One engine set up to train one workload. `step` trains one batch and returns its loss. */
export interface Stepper {
  /** The loss of the batch, read back from the engine so that the step has really run. */
  step(): number;
  dispose(): void;
}

/** An engine in the race: how to make it current (a tfjs backend) and how to set it up. */
export interface Contender {
  id: string;
  activate?: () => Promise<void>;
  create: () => Stepper;
}

export interface Measurement {
  /** Loss of the very first step (same weights, same batch in every engine). */
  firstLoss: number;
  /** Loss of the last warm-up step (same number of steps in every engine). */
  warmupLoss: number;
  /** Steps and seconds of each timed window. */
  windows: { steps: number; seconds: number }[];
  /** Median over the windows. */
  stepsPerSecond: number;
  samplesPerSecond: number;
  /** Slowest and fastest window, to show how noisy the machine was. */
  minStepsPerSecond: number;
  maxStepsPerSecond: number;
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
  const steppers: Stepper[] = [];
  const losses: { first: number; warmup: number }[] = [];
  const windows: { steps: number; seconds: number }[][] = contenders.map(() => []);
  try {
    for (const c of contenders) {
      o.onPhase?.(`${c.id} warm-up`);
      await c.activate?.();
      const s = c.create();
      steppers.push(s);
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
        windows[i].push(timeWindow(w, steppers[i], o.fixedSteps));
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
      minStepsPerSecond: Math.min(...rates),
      maxStepsPerSecond: Math.max(...rates),
    });
  });
  return out;
}

/** One timed window. Reading the clock costs well under 1% of even the smallest step. */
function timeWindow(
  w: Workload,
  s: Stepper,
  fixedSteps: number | undefined,
): { steps: number; seconds: number } {
  const t0 = performance.now();
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
  return { steps, seconds };
}

/** The median of a list of numbers (upper median for even lengths). */
export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
