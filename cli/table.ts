import { formatBytes } from '../core/util/number-format';

/** Plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function formatTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `1536 bytes (1.50 KB)`: exact, with the size as the app writes it next to it when it is large. */
export function formatBytesExact(n: number): string {
  return n < 1024 ? `${n} bytes` : `${n} bytes (${formatBytes(n)})`;
}
