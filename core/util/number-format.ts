// How Backprop Lab writes numbers for people: the app, the Lab's drawings, the command line and
// every message take them from here, so one value reads the same wherever it appears. (Numbers
// written for machines — project files, exports — are written by core/io, not here.)

export interface NumberFormat {
  /** Significant digits in fixed form (default 4): 0.04213, 1.235. */
  digits?: number;
  /** Digits after the point in exponent form (default digits − 1): 1.235e-5. */
  expDigits?: number;
  /** Exponent form below this magnitude (default 1e-3; 0: never) … */
  small?: number;
  /** … and from this magnitude on (default 1e4; 0: always, Infinity: never). */
  large?: number;
  /** Keep trailing zeros, for widths that stay put while a value changes (default: 0.5, not 0.5000). */
  keepZeros?: boolean;
  /** The typographic minus sign − (drawings) instead of the hyphen - (default). */
  minus?: '-' | '−';
  /** Write 1.2e5, not 1.2e+5 (tight places such as the toolbar). */
  shortExponent?: boolean;
  /** Thousands separated in fixed form: 2,501 (default false). */
  grouped?: boolean;
}

/**
 * A number as a person reads it: a few significant digits, exponent form only for very small or
 * large magnitudes; NaN and ±Infinity as JavaScript names them.
 *
 * @example formatNumber(0.042131) // "0.04213"
 * @example formatNumber(-1.5e-7, { minus: '−' }) // "−1.5e-7"
 * @example formatNumber(2501.3, { digits: 3, grouped: true, large: Infinity }) // "2,500"
 */
export function formatNumber(v: number, f: NumberFormat = {}): string {
  if (!Number.isFinite(v)) return String(v);
  const digits = f.digits ?? 4;
  const a = Math.abs(v);
  const exponent = a !== 0 && (a < (f.small ?? 1e-3) || a >= (f.large ?? 1e4));
  let s: string;
  if (exponent) {
    s = v.toExponential(f.expDigits ?? digits - 1);
    if (!f.keepZeros) s = s.replace(/\.?0+e/, 'e');
    if (f.shortExponent) s = s.replace('e+', 'e');
  } else if (f.grouped && a >= 1000) {
    s = Number(v.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 20 });
  } else {
    s = v.toPrecision(digits);
    if (s.includes('e'))
      s = String(Number(s)); // toPrecision's own exponent form for 12345 at 3 digits
    else if (!f.keepZeros && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return f.minus === '−' ? s.replace(/^-/, '−') : s;
}

/** Always in exponent form, for errors and tolerances: 3.20e-7 (digits − 1 after the point). */
export function formatScientific(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  return v.toExponential(digits - 1);
}

/**
 * A whole number with thousands separated: 12,345. Grouped by hand: after the sandbox's
 * lockdown (core/plugins/sandbox/harden-realm.ts, SES's default locale taming) toLocaleString
 * is toString and groups nothing, and plugins load in the same thread as the engine.
 */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return String(n);
  const grouped = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+$)/g, ',');
  return n <= -0.5 ? `-${grouped}` : grouped;
}

/** A count that must be short, three significant digits: 950, 1.5k, 12.3k, 200k, 3.1M. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((n / 1e3).toPrecision(3))}k`;
  return String(Number(n.toPrecision(3)));
}

/** A fraction as a percentage: 0.9731 → "97.3%" (`decimals` after the point, default 1). */
export function formatPercent(v: number, decimals = 1): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(decimals)}%` : String(v);
}

/** A size in memory: 512 B, 1.50 KB, 12.5 KB, 3.20 MB (1 KB = 1024 bytes). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a < 1024) return `${n} B`;
  if (a < 1024 * 1024) return `${(n / 1024).toFixed(a < 10 * 1024 ? 2 : 1)} KB`;
  if (a < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(2)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Signed, with + for positive values (shares, differences): +12.5, −3 (typographic minus). */
export function formatSigned(v: number, f: NumberFormat = {}): string {
  const s = formatNumber(v, { minus: '−', ...f });
  return v > 0 ? `+${s}` : s;
}

/**
 * A size in binary units for limits and budgets: "1.5 GiB", "512 MiB", "12 KiB", "300 bytes",
 * or "more than 9 PiB" for sizes no machine has.
 *
 * @example formatBinaryBytes(2 * 1024 ** 3) // '2.0 GiB'
 */
export function formatBinaryBytes(n: number): string {
  if (!Number.isFinite(n) || n > 9 * 1024 ** 5) return 'more than 9 PiB';
  if (n < 1024) return `${Math.round(n)} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
