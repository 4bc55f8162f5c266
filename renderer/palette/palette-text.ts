// Text the palette shows about plugins: a failed load-time gradient check, a broken file.
import type { PluginCheck } from '../../core/plugins/catalog';
import { formatShape } from '../../core/tensor/tensor';
import { formatNumber } from '../../core/util/number-format';
import type { PluginStatus } from '../worker/protocol-types';

const num = (v: number) => formatNumber(v, { digits: 6 });

/**
 * Why a plugin layer's load-time check failed: the wrong tensor, its worst index, analytic
 * against numeric (and a disagreement with autograd). Null when it passed.
 */
export function checkWarning(check: PluginCheck | undefined): string | null {
  if (!check || check.ok) return null;
  const lines: string[] = [];
  const g = check.gradcheck;
  for (const t of g.tensors.filter((t) => !t.ok)) {
    lines.push(
      `Gradient check failed for ${t.name} at ${formatShape(t.worst.index)}: ` +
        `analytic ${num(t.worst.analytic)} vs numeric ${num(t.worst.numeric)}`,
    );
  }
  if (g.error) lines.push(`Gradient check: ${g.error}`);
  if (check.autograd && !check.autograd.ok) lines.push(check.autograd.message);
  if (check.fused && !check.fused.ok) lines.push(check.fused.message);
  return lines.length ? lines.join('\n') : 'The load-time gradient check failed';
}

/** 'app:wacky.js' → 'wacky.js'. */
export function pluginFileName(file: string): string {
  return file.replace(/^(app|user):/, '');
}

/** A broken plugin file's problem, with line:column for syntax errors. */
export function brokenText(status: PluginStatus): string {
  const e = status.error;
  if (!e) return 'could not be loaded';
  if (e.line === undefined) return e.message;
  const at = `${e.line}${e.column !== undefined ? `:${e.column}` : ''}`;
  // The message may name the place already ("user:a.js:4:36: syntax error …").
  return e.message.includes(`:${at}`) ? e.message : `${e.message} (line ${at})`;
}
