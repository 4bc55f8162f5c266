// How the toolbar writes numbers: short, stable widths, no jitter while training.

/** `0.04213` → "0.04213", `1.2e-5` → "1.20e-5"; null → "—". */
export function formatLoss(loss: number | null | undefined): string {
  if (loss === null || loss === undefined) return '—';
  if (!Number.isFinite(loss)) return String(loss);
  const a = Math.abs(loss);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return loss.toExponential(2).replace('e+', 'e');
  return loss.toPrecision(4);
}

/** 12345 → "12.3k"; 950 → "950". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
  if (perSecond >= 1e4) return `${Math.round(perSecond / 1e3)}k`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return String(Math.round(perSecond));
}

/** 0.9731 → "97.3%"; null → "—". */
export function formatPercent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`;
}
