// The gradient check of a plugin layer in words: which tensor failed, where, and by how much.
import type { PluginCheck } from '../../../core/plugins/catalog';
import { formatNumber } from '../../../core/util/number-format';

export interface CheckLine {
  ok: boolean;
  text: string;
}

const num = (v: number) => formatNumber(v, { expDigits: 2 });

/**
 * One line per finding: finite differences per tensor, the comparison with autograd, then the
 * fused kernel's against forward and backward.
 */
export function describeCheck(check: PluginCheck): CheckLine[] {
  const g = check.gradcheck;
  const lines: CheckLine[] = [];
  if (g.error) lines.push({ ok: false, text: g.error });
  else if (g.ok) {
    const worst = Math.max(0, ...g.tensors.map((t) => t.maxAbsError));
    lines.push({
      ok: true,
      text: `Gradients match finite differences (${g.tensors.map((t) => t.name).join(', ')}; max error ${num(worst)})`,
    });
  }
  for (const t of g.tensors) {
    if (t.ok || g.error) continue;
    lines.push({
      ok: false,
      text:
        `Gradient of ${t.name} is wrong at [${t.worst.index.join(', ')}]: ` +
        `analytic ${num(t.worst.analytic)} vs numeric ${num(t.worst.numeric)} ` +
        `(max abs error ${num(t.maxAbsError)}, rel ${num(t.maxRelError)})`,
    });
  }
  const a = check.autograd;
  if (a === null) {
    if (!g.error)
      lines.push({ ok: true, text: 'No backward written: autograd differentiates the forward' });
  } else if (!a.traceable) {
    lines.push({ ok: a.ok, text: a.message });
  } else if (a.ok) {
    lines.push({
      ok: true,
      text: `Backward agrees with autograd (max difference ${num(a.maxAbsDiff)})`,
    });
  } else {
    lines.push({
      ok: false,
      text: a.tensor ? `${a.message} (tensor ${a.tensor})` : a.message,
    });
  }
  const f = check.fused;
  if (f) {
    lines.push({
      ok: f.ok,
      text: !f.ok
        ? f.message
        : f.identical
          ? 'Fused kernel gives what forward and backward give, bit for bit'
          : `Fused kernel agrees with forward and backward (max difference ${num(f.maxAbsDiff)})`,
    });
  }
  return lines;
}

/** 'app:wacky.js' → 'wacky.js'. */
export function pluginFileName(file: string): string {
  return file.replace(/^(app|user):/, '').replace(/^.*[\\/]/, '');
}

/**
 * The first thing a failed check found, as a clause ("gradient of x is wrong at [0, 0]: …"),
 * for sentences that name the layer first. Null when the check passed.
 */
export function checkFailure(check: PluginCheck | undefined): string | null {
  if (!check || check.ok) return null;
  const line = describeCheck(check).find((l) => !l.ok)?.text ?? 'the check failed';
  return line.charAt(0).toLowerCase() + line.slice(1);
}

/** "Layer TanhGate failed its gradient check: gradient of x is wrong at [0, 0]: …". */
export function layerCheckFailure(type: string, check: PluginCheck | undefined): string | null {
  const why = checkFailure(check);
  return why === null ? null : `Layer ${type} failed its gradient check: ${why}`;
}
