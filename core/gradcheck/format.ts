import { formatShape } from '../tensor/tensor';
import { formatNumber, formatScientific } from '../util/number-format';
import type { GradcheckResult } from './types';

/**
 * A readable table of a gradient check, one row per tensor, as the command line prints it.
 *
 * @example console.log(formatGradcheck(gradcheckLayer(def, { inShapes: [[4]] })));
 */
export function formatGradcheck(result: GradcheckResult): string {
  const lines = [`gradcheck ${result.layer}: ${result.ok ? 'PASS' : 'FAIL'}`];
  if (result.tensors.length) {
    const head = [
      'tensor',
      'shape',
      'max abs err',
      'max rel err',
      'worst index',
      'analytic',
      'numeric',
      'result',
    ];
    const rows = result.tensors.map((t) => [
      t.name,
      formatShape(t.shape),
      sci(t.maxAbsError),
      sci(t.maxRelError),
      formatShape(t.worst.index),
      num(t.worst.analytic),
      num(t.worst.numeric),
      t.ok ? 'PASS' : 'FAIL',
    ]);
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const line = (cells: string[]) =>
      '  ' +
      cells
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd();
    lines.push(line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  }
  if (result.error) lines.push(`  error: ${result.error}`);
  return lines.join('\n');
}

const sci = (v: number) => formatScientific(v);
// Analytic and numeric side by side: six digits, zeros kept so the columns line up.
const num = (v: number) =>
  formatNumber(v, { digits: 6, small: 0, large: Infinity, keepZeros: true });
