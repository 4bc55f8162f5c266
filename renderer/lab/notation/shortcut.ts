// The lecture's shortcut where backprop starts, with one sample's numbers: BCE on a sigmoid gives
// δ = ∂L/∂ŷ · σ′(ỹ) = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y; a loss on logits (softmax and
// cross-entropy, BCE with logits) gives δ = ŷ − y directly. The engine's δ (a mean's gradient,
// so divided by the values it averages) is shown beside it, times that count.
import type { LossType } from '../../../core/losses';
import type { Matrix } from '../inspect-types';

export interface ShortcutRow {
  /** 1-based output unit. */
  unit: number;
  yHat: number;
  y: number;
  /** ∂L/∂ŷ of this sample alone and σ′(ỹ) = ŷ(1 − ŷ): BCE on a sigmoid only. */
  dLdyHat: number | null;
  sigmaPrime: number | null;
  product: number | null;
  /** ŷ − y. */
  diff: number;
  /** The engine's δ at the last pre-activation, times the count the mean divides by. */
  engine: number | null;
}

export interface Shortcut {
  kind: 'bce-sigmoid' | 'logits';
  /** What the mean divides each gradient by (values for BCE, samples for cross-entropy). */
  count: number;
  rows: ShortcutRow[];
}

const row = (m: Matrix, s: number) => Array.from(m.data.slice(s * m.cols, (s + 1) * m.cols));

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const t = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / t);
}

/**
 * One sample's shortcut numbers. `out`: the output node's values (ŷ, or the logits ỹ); `delta`:
 * the engine's δ at the last pre-activation for the batch; `s` the 0-based sample.
 */
export function shortcutOf(
  loss: LossType,
  kind: Shortcut['kind'],
  out: Matrix,
  target: Matrix,
  delta: Matrix | null,
  s: number,
): Shortcut {
  const count = loss === 'CrossEntropy' ? out.rows : out.rows * out.fullCols;
  const o = row(out, s);
  const yHat =
    kind === 'bce-sigmoid'
      ? o
      : loss === 'CrossEntropy'
        ? softmax(o)
        : o.map((z) => 1 / (1 + Math.exp(-z)));
  // Cross-entropy's targets may come as class indices: y is then that class's one-hot row.
  const given = row(target, s);
  const y =
    loss === 'CrossEntropy' && target.cols === 1 && o.length > 1
      ? o.map((_, c) => (c === Math.round(given[0]) ? 1 : 0))
      : given;
  const d = delta ? row(delta, s) : null;
  const rows = yHat.map((p, c): ShortcutRow => {
    const t = y[c] ?? 0;
    const sp = kind === 'bce-sigmoid' ? p * (1 - p) : null;
    const g = sp !== null ? (p - t) / sp : null;
    return {
      unit: c + 1,
      yHat: p,
      y: t,
      dLdyHat: g,
      sigmaPrime: sp,
      product: g !== null && sp !== null ? g * sp : null,
      diff: p - t,
      engine: d ? d[c] * count : null,
    };
  });
  return { kind, count, rows };
}
