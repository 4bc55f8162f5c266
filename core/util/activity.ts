/**
 * What the engine is busy with, readable from another thread: the training worker writes it,
 * the UI thread (or the command line's main thread) watches it and ends a worker that stays on
 * one thing too long, naming it ("node w1 (Wacky from plugin wacky.js): forward"). Labels are
 * numbers in a few Int32 cells (a SharedArrayBuffer where there is one); their texts are sent
 * once, when a label is first used.
 *
 * Cells: SEQ counts every enter and leave (the watchdog sees progress), LABEL is what runs now,
 * OUTER what it runs inside of (a training step around a plugin's forward), EPOCH and STEP where
 * training is (the step counts the run's batches from 1).
 */
export const ACTIVITY = { seq: 0, label: 1, outer: 2, epoch: 3, step: 4, cells: 8 } as const;

/** Nothing: the engine waits for work. */
export const IDLE = 0;

/** What a watchdog reads: the label's text, what it runs inside of, and where training is. */
export interface ActivityReading {
  seq: number;
  label: number;
  outer: number;
  epoch: number;
  step: number;
}

export function readActivity(cells: Int32Array): ActivityReading {
  return {
    seq: Atomics.load(cells, ACTIVITY.seq),
    label: Atomics.load(cells, ACTIVITY.label),
    outer: Atomics.load(cells, ACTIVITY.outer),
    epoch: Atomics.load(cells, ACTIVITY.epoch),
    step: Atomics.load(cells, ACTIVITY.step),
  };
}

/**
 * One sentence for what hung: "node w1 (Wacky from plugin wacky.js): forward did not finish
 * within 5 s (during a training step: epoch 2, step 37)".
 */
export function describeHang(
  r: ActivityReading,
  text: (id: number) => string | undefined,
  limitMs: number,
): string {
  const what = text(r.label) ?? 'the engine';
  const outer = r.outer !== IDLE ? text(r.outer) : undefined;
  const training = [outer, text(r.label)].includes('a training step')
    ? `epoch ${r.epoch}, step ${r.step}`
    : '';
  const context = outer
    ? ` (during ${outer}${training ? `: ${training}` : ''})`
    : training
      ? ` (${training})`
      : '';
  return `${what} did not finish within ${seconds(limitMs)}${context}`;
}

export function seconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Watches the cells of an Activity written by another thread: stuck() says what has run for
 * longer than the limit without any progress (no enter or leave), or null.
 *
 * @example const w = new ActivityWatch(cells); setInterval(() => w.stuck(performance.now(), 5000), 200);
 */
export class ActivityWatch {
  private seq = -1;
  private since = 0;

  constructor(readonly cells: Int32Array) {}

  stuck(now: number, limitMs: number): ActivityReading | null {
    const r = readActivity(this.cells);
    if (r.seq !== this.seq || r.label === IDLE) {
      this.seq = r.seq;
      this.since = now;
      return null;
    }
    return now - this.since > limitMs ? r : null;
  }

  /** Start over (a new worker, or a new limit). */
  reset(now: number): void {
    this.seq = -1;
    this.since = now;
  }
}

export class Activity {
  readonly cells: Int32Array;
  private readonly ids = new Map<string, number>();
  private readonly stack = new Int32Array(32);
  private depth = 0;

  /**
   * @param buffer where the cells live (a SharedArrayBuffer for a watchdog on another thread)
   * @param onLabel told each new label's number and text, before it is first used
   */
  constructor(
    buffer: ArrayBufferLike = new ArrayBuffer(ACTIVITY.cells * 4),
    private readonly onLabel: (id: number, text: string) => void = () => {},
  ) {
    this.cells = new Int32Array(buffer, 0, ACTIVITY.cells);
  }

  /** The number of a label, made (and announced) on first use. */
  label(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(text, id);
      this.onLabel(id, text);
    }
    return id;
  }

  /** Start `label` inside whatever runs now; returns what to hand to leave(). */
  enter(label: number): number {
    const c = this.cells;
    const prev = c[ACTIVITY.label];
    if (this.depth < this.stack.length) this.stack[this.depth] = prev;
    this.depth++;
    Atomics.store(c, ACTIVITY.outer, prev);
    Atomics.store(c, ACTIVITY.label, label);
    Atomics.add(c, ACTIVITY.seq, 1);
    return prev;
  }

  /** Back to what ran before enter() (its return value). */
  leave(prev: number): void {
    const c = this.cells;
    this.depth = Math.max(0, this.depth - 1);
    const outer =
      this.depth > 0 && this.depth <= this.stack.length ? this.stack[this.depth - 1] : IDLE;
    Atomics.store(c, ACTIVITY.label, prev);
    Atomics.store(c, ACTIVITY.outer, prev === IDLE ? IDLE : outer);
    Atomics.add(c, ACTIVITY.seq, 1);
  }

  /** Where training is (shown with a label that hangs). */
  at(epoch: number, step: number): void {
    Atomics.store(this.cells, ACTIVITY.epoch, epoch);
    Atomics.store(this.cells, ACTIVITY.step, step);
  }

  /** Run fn as `text`. */
  run<T>(text: string, fn: () => T): T {
    const prev = this.enter(this.label(text));
    try {
      return fn();
    } finally {
      this.leave(prev);
    }
  }

  /** The same for async work (a plugin file's load, which awaits its evaluation). */
  async runAsync<T>(text: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.enter(this.label(text));
    try {
      return await fn();
    } finally {
      this.leave(prev);
    }
  }
}
