export type Align = 'left' | 'right';

export interface Column {
  title: string;
  align?: Align;
}

/**
 * A markdown table with its columns padded to equal width, so that it reads the same in a
 * terminal and in a markdown file.
 *
 * @example table([{ title: 'engine' }, { title: 'steps/s', align: 'right' }], [['ours', '12.3']])
 */
export function table(columns: Column[], rows: string[][]): string {
  const width = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => len(r[i]))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(width[i] - len(s));
    return columns[i].align === 'right' ? fill + s : s + fill;
  };
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = columns.map((c, i) => {
    const dashes = '-'.repeat(Math.max(width[i], 3));
    return c.align === 'right' ? dashes.slice(1) + ':' : dashes;
  });
  return [line(columns.map((c) => c.title)), `| ${rule.join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
}

/** Display width: code points, so that "ᵀ" and "δ" count as one column. */
function len(s: string): number {
  return [...s].length;
}

/** A number with a precision that suits its size: 12345, 123.4, 1.234, 0.01234. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** A throughput ratio such as "1.84×". */
export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : '—';
}
