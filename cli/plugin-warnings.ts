import type { PluginLayerInfo, PluginStatus } from '../core/plugins/catalog';
import { formatShape } from '../core/tensor/tensor';
import { formatNumber } from '../core/util/number-format';

/**
 * One warning line per layer of a loaded file whose load-time check failed: each tensor that
 * does not match finite differences, at its worst index, analytic against numeric, a
 * hand-written backward that disagrees with autograd, and a fused kernel that disagrees with
 * forward and backward.
 *
 * @example for (const line of checkWarnings(status)) io.err.write(line + '\n');
 */
export function checkWarnings(status: PluginStatus): string[] {
  return status.layers.filter((l) => !l.check.ok).map((l) => warningOf(status.file, l));
}

function warningOf(file: string, layer: PluginLayerInfo): string {
  const { gradcheck, autograd, fused, inShapes } = layer.check;
  const at = inShapes.map(formatShape).join(', ');
  const problems: string[] = [];
  for (const t of gradcheck.tensors) {
    if (t.ok) continue;
    const { index, analytic, numeric } = t.worst;
    problems.push(
      `${t.name} at ${formatShape(index)}: analytic ${num(analytic)} vs numeric ${num(numeric)}`,
    );
  }
  if (gradcheck.error) problems.push(gradcheck.error);
  if (autograd && !autograd.ok) problems.push(autograd.message);
  if (fused && !fused.ok) problems.push(fused.message);
  if (!problems.length) problems.push('the check failed');
  return `warning: ${file}: layer '${layer.type}' fails its load-time gradient check (input shape ${at}): ${problems.join('; ')}`;
}

const num = (v: number) => formatNumber(v, { digits: 6 });
