import type { Activity } from '../util/activity';
import { LabError, isLabError } from '../util/errors';
import type { EpochStats, StepResult, Trainer } from './trainer';
import { LossSampler } from './loss-sampler';

export type RunState = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface Progress {
  state: RunState;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Loss of the last batch. */
  loss: number;
  /** Samples per second over the last progress interval. */
  samplesPerSecond: number;
  /** Batches trained in total. */
  steps: number;
  /** Steps a second the run is held to (null: as fast as it can go). */
  stepsPerSecond: number | null;
  /**
   * Losses of the batches trained since the previous report, oldest first: all of them, or an
   * evenly spaced sample of at most 32 (see LossSampler).
   */
  recentLosses: number[];
}

export interface RunnerCallbacks {
  /** At most once per progress interval while running, and after every manual step. */
  onProgress?(p: Progress): void;
  onEpoch?(stats: EpochStats): void;
  onState?(state: RunState, error?: LabError): void;
}

export interface RunnerOptions {
  /** Hand control back to the host (a worker's message loop) between slices of work. */
  yieldToHost: () => Promise<void>;
  /** How long to train before yielding, in ms. Default 20. */
  sliceMs?: number;
  /** Least time between progress reports, in ms. Default 100 (10 updates a second). */
  progressMs?: number;
  now?: () => number;
  /** Told when each batch starts and ends, for a watchdog on another thread. */
  activity?: Activity;
  /**
   * Steps a second to train at, so that a person can watch each one (null or absent: as fast as
   * possible). Each paced step is reported. Change it while running with setSpeed().
   */
  stepsPerSecond?: number | null;
  /**
   * Wait this long (the host's timer: core has none). Needed only for paced runs: setting a
   * speed without it is refused.
   */
  sleep?: (ms: number) => Promise<void>;
}

/** The activity label of one batch of training. */
export const TRAINING_STEP = 'a training step';

/** The slowest and the fastest pace a run can be held to, in steps a second. */
export const PACE_LIMITS = { min: 0.1, max: 1000 } as const;

/**
 * Drives a Trainer in slices so that its host stays responsive, with pause, single step,
 * resume and stop between batches. Errors (a diverging run, a failing plugin) end the run in
 * the `failed` state with the error; the model keeps its last good weights.
 *
 * @example const r = new TrainingRunner(trainer, { onProgress }, { yieldToHost }); await r.run();
 */
export class TrainingRunner {
  private current: RunState = 'idle';
  private wake: (() => void) | null = null;
  private pendingSteps = 0;
  private steps = 0;
  private reportedSteps = 0;
  private last: StepResult | null = null;
  private windowStart = 0;
  private windowSamples = 0;
  private rate = 0;
  private readonly losses = new LossSampler(32);
  private stepLabel: number | null = null;
  private pace: number | null;
  error: LabError | null = null;

  constructor(
    private readonly trainer: Trainer,
    private readonly cb: RunnerCallbacks,
    private readonly o: RunnerOptions,
  ) {
    this.pace = this.checkPace(o.stepsPerSecond ?? null);
  }

  /** The pace the run is held to, in steps a second (null: full speed). */
  get stepsPerSecond(): number | null {
    return this.pace;
  }

  get state(): RunState {
    return this.current;
  }

  /** Train until finished, stopped or failed. Starting paused waits for resume() or step(). */
  async run(startPaused = false): Promise<RunState> {
    if (this.current !== 'idle') throw new LabError('USAGE', `the run is already ${this.current}`);
    const now = this.o.now ?? (() => performance.now());
    const slice = this.o.sliceMs ?? 20;
    const every = this.o.progressMs ?? 100;
    this.setState(startPaused ? 'paused' : 'running');
    let lastReport = now();
    this.windowStart = lastReport;
    try {
      while (!this.trainer.finished) {
        if (this.is('stopped')) {
          this.reportIfBehind(now); // the batches trained since the last report
          return this.current;
        }
        if (this.is('paused')) {
          this.reportIfBehind(now);
          if (this.pendingSteps > 0) {
            this.pendingSteps--;
            this.trainOne(now);
            this.report(now);
            continue;
          }
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          this.windowStart = now();
          this.windowSamples = 0;
          continue;
        }
        if (this.pace !== null) {
          // Paced: one step, reported at once, then a wait that a pause, a stop or a new
          // speed cuts short.
          const started = now();
          this.trainOne(now);
          lastReport = now();
          this.report(now);
          if (this.trainer.finished) break;
          await this.waitUntil(started + 1000 / this.pace, now);
          continue;
        }
        const end = now() + slice;
        do this.trainOne(now);
        while (now() < end && !this.trainer.finished && this.is('running'));
        if (now() - lastReport >= every || this.trainer.finished) {
          lastReport = now();
          this.report(now);
        }
        await this.o.yieldToHost();
      }
      this.setState('finished');
      this.report(now);
    } catch (e) {
      this.error = isLabError(e)
        ? e
        : new LabError('OP', e instanceof Error ? e.message : String(e));
      this.setState('failed', this.error);
    }
    return this.current;
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.setState('paused');
    this.wake?.(); // a paced run waiting for its next step
  }

  /** Train at `stepsPerSecond` steps a second from the next step on (null: full speed). */
  setSpeed(stepsPerSecond: number | null): void {
    this.pace = this.checkPace(stepsPerSecond);
    if (this.current === 'running') this.wake?.();
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.setState('running');
    this.wake?.();
  }

  /** While paused: train exactly one batch and stay paused. */
  step(): void {
    if (this.current !== 'paused') return;
    this.pendingSteps++;
    this.wake?.();
  }

  stop(): void {
    if (this.current === 'finished' || this.current === 'failed' || this.current === 'stopped')
      return;
    this.setState('stopped');
    this.wake?.();
  }

  /** Sleep until `at` (or until woken by pause, stop or a new speed). */
  private async waitUntil(at: number, now: () => number): Promise<void> {
    const ms = at - now();
    if (ms <= 0) return this.o.yieldToHost();
    await Promise.race([this.o.sleep!(ms), new Promise<void>((resolve) => (this.wake = resolve))]);
    this.wake = null;
  }

  private trainOne(now: () => number): void {
    const activity = this.o.activity;
    let r: StepResult;
    if (activity) {
      activity.at(this.trainer.epoch, this.steps + 1);
      const prev = activity.enter(
        this.stepLabel ?? (this.stepLabel = activity.label(TRAINING_STEP)),
      );
      try {
        r = this.trainer.step();
      } finally {
        activity.leave(prev);
      }
    } else r = this.trainer.step();
    this.last = r;
    this.steps++;
    this.losses.add(r.loss);
    this.windowSamples += r.samples;
    if (r.epochDone) this.cb.onEpoch?.(r.epochDone);
    const t = now();
    if (t - this.windowStart >= 250) {
      this.rate = (this.windowSamples * 1000) / (t - this.windowStart);
      this.windowStart = t;
      this.windowSamples = 0;
    }
  }

  /** Report when batches were trained since the last report (on pause and stop). */
  private reportIfBehind(now: () => number): void {
    if (this.steps !== this.reportedSteps) this.report(now);
  }

  private report(now: () => number): void {
    this.reportedSteps = this.steps;
    const r = this.last;
    if (!r || !this.cb.onProgress) return;
    if (this.rate === 0 && now() > this.windowStart) {
      this.rate = (this.windowSamples * 1000) / (now() - this.windowStart);
    }
    this.cb.onProgress({
      state: this.current,
      epoch: r.epoch,
      epochs: this.trainer.epochs,
      batch: r.batch,
      batchesPerEpoch: r.batchesPerEpoch,
      loss: r.loss,
      samplesPerSecond: this.rate,
      steps: this.steps,
      stepsPerSecond: this.pace,
      recentLosses: this.losses.take(),
    });
  }

  /** Read through a call: the state changes under await, which type narrowing cannot see. */
  private is(s: RunState): boolean {
    return this.current === s;
  }

  private setState(s: RunState, error?: LabError): void {
    this.current = s;
    this.cb.onState?.(s, error);
  }

  /** A speed within PACE_LIMITS (null: full speed), with a timer to wait by. */
  private checkPace(v: number | null): number | null {
    const pace = checkPace(v);
    if (pace !== null && !this.o.sleep) {
      throw new LabError('USAGE', 'a paced run needs a sleep function (RunnerOptions.sleep)');
    }
    return pace;
  }
}

/** A speed within PACE_LIMITS, or null for full speed. */
function checkPace(v: number | null): number | null {
  if (v === null || v === Infinity) return null;
  if (!Number.isFinite(v) || v < PACE_LIMITS.min || v > PACE_LIMITS.max) {
    throw new LabError(
      'USAGE',
      `the training speed must be between ${PACE_LIMITS.min} and ${PACE_LIMITS.max} steps a second, or full speed; got ${v}`,
    );
  }
  return v;
}
