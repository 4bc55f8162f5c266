import { formatInteger, formatNumber, formatPercent } from '../core/util/number-format';
import type { EpochStats, StepResult } from '../core/train/trainer';

/** Where progress goes: stderr, so stdout stays clean for results. */
export interface ProgressSink {
  isTTY: boolean;
  columns?: number;
  write(text: string): void;
}

// Redrawing on every batch of a fast network would spend more time on the terminal than on
// training.
const REDRAW_MS = 80;

/**
 * Training progress: on a terminal one line redrawn in place (epoch n/N, a bar, loss, accuracy,
 * samples/s); elsewhere (logs, CI) one line every ~10% of the epochs.
 */
export class ProgressLine {
  private last: EpochStats | null = null;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly epochs: number,
    private readonly sink: ProgressSink,
    private readonly now: () => number = () => performance.now(),
  ) {}

  step(r: StepResult, samplesPerSecond: number): void {
    if (r.epochDone) this.last = r.epochDone;
    if (this.sink.isTTY) {
      const t = this.now();
      if (r.finished || t - this.lastDraw >= REDRAW_MS) {
        this.lastDraw = t;
        const done = r.epoch - 1 + (r.batch + 1) / r.batchesPerEpoch;
        this.draw(r.epoch, done, r.loss, samplesPerSecond);
      }
    } else if (r.epochDone && isReportedEpoch(r.epoch, this.epochs)) {
      this.sink.write(`${describeEpoch(r.epochDone, this.epochs)}  ${rate(samplesPerSecond)}\n`);
    }
  }

  /** Leave the terminal on a fresh line. */
  finish(): void {
    if (this.drawn) this.sink.write('\n');
    this.drawn = false;
  }

  private draw(epoch: number, done: number, batchLoss: number, samplesPerSecond: number): void {
    const e = this.last;
    const width = 20;
    const fill = Math.round((width * done) / Math.max(1, this.epochs));
    const bar = '█'.repeat(fill) + '░'.repeat(Math.max(0, width - fill));
    const parts = [
      `epoch ${String(epoch).padStart(String(this.epochs).length)}/${this.epochs}`,
      bar,
      `loss ${fmtLoss(e ? e.trainLoss : batchLoss)}`,
    ];
    if (e?.trainAccuracy != null) parts.push(`acc ${pct(e.trainAccuracy)}`);
    if (e?.testAccuracy != null) parts.push(`test acc ${pct(e.testAccuracy)}`);
    else if (e?.testLoss != null) parts.push(`test loss ${fmtLoss(e.testLoss)}`);
    parts.push(rate(samplesPerSecond));
    let line = parts.join('  ');
    const cols = this.sink.columns ?? 0;
    if (cols > 10 && line.length >= cols) line = line.slice(0, cols - 1);
    this.sink.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }
}

/** Every ~10% of the epochs, and always the last one. */
export function isReportedEpoch(epoch: number, epochs: number): boolean {
  const every = Math.max(1, Math.ceil(epochs / 10));
  return epoch % every === 0 || epoch === epochs;
}

export function describeEpoch(e: EpochStats, epochs: number): string {
  const parts = [
    `epoch ${String(e.epoch).padStart(String(epochs).length)}/${epochs}`,
    `loss ${fmtLoss(e.trainLoss)}`,
  ];
  if (e.trainAccuracy !== null) parts.push(`acc ${pct(e.trainAccuracy)}`);
  if (e.testLoss !== null) parts.push(`test loss ${fmtLoss(e.testLoss)}`);
  if (e.testAccuracy !== null) parts.push(`test acc ${pct(e.testAccuracy)}`);
  return parts.join('  ');
}

/** A loss on the progress line: 4 significant digits, kept zeros so the line does not jitter. */
export function fmtLoss(v: number): string {
  return formatNumber(v, { small: 1e-4, expDigits: 2, keepZeros: true });
}

export const pct = (v: number) => formatPercent(v);

function rate(samplesPerSecond: number): string {
  return `${formatInteger(samplesPerSecond)} samples/s`;
}
