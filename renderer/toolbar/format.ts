// How the toolbar writes numbers: short, stable widths, no jitter while training (presets of
// the one family in core/util/number-format.ts).
import { formatCount, formatNumber, formatPercent as percent } from '../../core/util/number-format';

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
