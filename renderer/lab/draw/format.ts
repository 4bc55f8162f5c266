// Numbers as the Lab views print them.

/** 4 significant digits, exponent form for very small or large values, − for minus. */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a < 1e-3 || a >= 1e5 ? v.toExponential(digits - 1) : v.toPrecision(digits);
  return s
    .replace(/^-/, '−')
    .replace(/(\.\d*?)0+(e|$)/, '$1$2')
    .replace(/\.(e|$)/, '$1');
}

/** Signed, with + for positive values (for shares and differences). */
export function signed(v: number, digits = 4): string {
  return v > 0 ? `+${num(v, digits)}` : num(v, digits);
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a < 1024) return `${n} B`;
  if (a < 1024 * 1024) return `${(n / 1024).toFixed(a < 10 * 1024 ? 2 : 1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** A byte difference with its sign: “−1.50 KB”, “+256 B”, “no change”. */
export function bytesDiff(n: number): string {
  if (n === 0) return 'no change';
  return `${n > 0 ? '+' : '−'}${bytes(Math.abs(n))}`;
}

export function shape(s: readonly number[]): string {
  return `[${s.join('×')}]`;
}
