// Where the UI-thread measurements go: one JSON line per scenario in $BENCH_UI_OUT, read back by
// bench/run.ts for its table. Without the variable (a spec run by hand) they are only printed.
import { appendFileSync } from 'node:fs';

export interface UiMeasurement {
  /** 'XOR training', 'Lab: forward while digits train' … */
  scenario: string;
  windowMs: number;
  /** Loss/epoch text changes per second (null: not measured in this scenario). */
  updatesPerSecond: number | null;
  /**
   * The training speed the run was held to (steps a second), when it was: progress then comes
   * once a step, and the goal for it is that pace rather than MIN_UPDATES_PER_SECOND.
   */
  pacedAt?: number;
  /** Main-thread tasks in the trace, and the CPU time of the busiest one (ms). */
  tracedTasks: number;
  maxTaskCpuMs: number;
  /** Wall time of every long task (> 50 ms) the long-task observer reported (ms). */
  longTasksMs: number[];
  /** The longest Lab drawing (ms), where a Lab view was open. */
  longestDrawMs?: number;
  /** The training speed, where that is what the scenario measured (app-speed.spec.ts). */
  samplesPerSecond?: number;
  /** The toolbar's account of what ran the products (its samples/s tooltip). */
  engine?: string;
}

export const LONG_TASK_MS = 50;
export const MIN_UPDATES_PER_SECOND = 10;

/** A paced run shows (nearly) every step: at least this share of its pace in updates. */
export const PACED_UPDATE_SHARE = 0.8;

export function record(m: UiMeasurement): void {
  console.log(JSON.stringify(m));
  if (process.env.BENCH_UI_OUT) appendFileSync(process.env.BENCH_UI_OUT, `${JSON.stringify(m)}\n`);
}
