// How the toolbar writes numbers: short, stable widths, no jitter while training (presets of
// the one family in core/util/number-format.ts).
import { formatCount, formatNumber, formatPercent as percent } from '../../core/util/number-format';
import type { RunPosition } from '../worker/protocol-types';

/** `0.04213` → "0.04213", `1.2e-5` → "1.20e-5"; null → "—". */
export function formatLoss(loss: number | null | undefined): string {
  if (loss === null || loss === undefined) return '—';
  return formatNumber(loss, { expDigits: 2, keepZeros: true, shortExponent: true });
}

/** 12345 → "12.3k"; 950 → "950"; nothing measured yet → "—". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  return formatCount(Math.round(perSecond));
}

/** 0.9731 → "97.3%"; null → "—". */
export function formatPercent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : percent(v);
}

/**
 * The run's one counter, as every view writes it: "epoch 5 · batch 3/10" (the epoch of the last
 * batch trained, and how many of its batches are done), "epoch 5" once all of them are.
 */
export function formatPosition(at: RunPosition): string {
  if (at.epoch === 0 || at.batch >= at.batchesPerEpoch) return `epoch ${at.epoch}`;
  return `epoch ${at.epoch} · batch ${at.batch}/${at.batchesPerEpoch}`;
}

/** The speed control's stops: steps a second, then full speed (null). */
export const SPEEDS: readonly (number | null)[] = [1, 2, 5, 10, 30, null];

/** 1 → "1 step/s", null → "full speed". */
export function formatSpeed(stepsPerSecond: number | null): string {
  if (stepsPerSecond === null) return 'full speed';
  return `${stepsPerSecond} step${stepsPerSecond === 1 ? '' : 's'}/s`;
}
