// Numbers as the Lab's drawings print them: the one family of core/util/number-format.ts, with
// the typographic minus and exponent form from 1e5 on (weights and δs up to 99999 stay plain).
import { formatBytes, formatNumber, formatSigned } from '../../../core/util/number-format';

/** 4 significant digits, exponent form for very small or large values, − for minus. */
export function num(v: number, digits = 4): string {
  return formatNumber(v, { digits, large: 1e5, minus: '−' });
}

/** Signed, with + for positive values (for shares and differences). */
export function signed(v: number, digits = 4): string {
  return formatSigned(v, { digits, large: 1e5 });
}

export const bytes = formatBytes;

/** A byte difference with its sign: “−1.50 KB”, “+256 B”, “no change”. */
export function bytesDiff(n: number): string {
  if (n === 0) return 'no change';
  return `${n > 0 ? '+' : '−'}${formatBytes(Math.abs(n))}`;
}

export function shape(s: readonly number[]): string {
  return `[${s.join('×')}]`;
}
