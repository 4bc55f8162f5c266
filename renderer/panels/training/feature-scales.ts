// The features' scale spread for the plain-words hint, from what the UI thread has at hand
// without parsing big files: the rows a CSV preview read (up to a few hundred), or a project's
// inline samples. The built-in data sets are already on comparable scales.
import { parseCell } from '../../../core/data/csv';
import { type ScaleSpread, scaleHint, scaleSpread } from '../../../core/data/scales';
import type { NormalizeKind } from '../../../core/data/normalize';

export const NORMALIZE_CHOICES: readonly { value: NormalizeKind; label: string; title: string }[] =
  [
    { value: 'none', label: 'None (raw features)', title: 'the features go in as they are' },
    {
      value: 'standardize',
      label: 'Standardize (mean 0, std 1)',
      title: 'x′ = (x − mean) / standard deviation, from the training split',
    },
    {
      value: 'minmax',
      label: 'Min–max (to [0, 1])',
      title: 'x′ = (x − min) / (max − min), from the training split',
    },
  ];

/** The spread over the feature columns (all but `targets`) of CSV rows as text. */
export function csvSpread(
  columns: readonly string[],
  rows: readonly string[][],
  targets: readonly string[],
): ScaleSpread | null {
  const features = columns.map((c, j) => [c, j] as const).filter(([c]) => !targets.includes(c));
  const x: number[] = [];
  for (const r of rows) {
    for (const [, j] of features) {
      const v = parseCell(r[j] ?? '');
      x.push(Number.isFinite(v) ? v : 0);
    }
  }
  return features.length
    ? scaleSpread(
        x,
        features.length,
        features.map(([c]) => c),
      )
    : null;
}

/** The spread of inline samples `data.x`. */
export function inlineSpread(x: unknown, names?: readonly string[]): ScaleSpread | null {
  if (!Array.isArray(x) || !Array.isArray(x[0])) return null;
  const width = (x[0] as unknown[]).length;
  const flat = (x as unknown[][]).flat().map((v) => (typeof v === 'number' ? v : 0));
  return width ? scaleSpread(flat, width, names ?? []) : null;
}

export { scaleHint };
