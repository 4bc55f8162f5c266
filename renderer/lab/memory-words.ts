// The memory view in words: what each node keeps for backward and why (which tensor, for which
// gradient), what a recompute segment keeps, and why a segment of one node saves nothing. Every
// number in these sentences is one the step measured (core/memory); nothing is computed from a
// formula here. Gradients are named by the lecture's symbols from the notation module
// (renderer/lab/notation), so ∂L/∂W⁽¹⁾ and δ⁽¹⁾ here are the same as in Step by step and Blame.
import type { HeldTensor, Keeper, MemoryReport } from '../../core/memory/meter';
import { bytes, shape } from './draw/format';
import type { NodeInfo } from './inspect-types';
import { errorSymbol, outputSymbol, paramSymbol } from './notation/symbols';

/** How the sentences name the tensors a keeper needs: weights and the gradients passed back. */
export interface TensorNames {
  /** The symbol of a weight by its full name ('fc1.weight' → 'W⁽¹⁾'); undefined: not a weight. */
  weight(name: string): string | undefined;
  /** The symbol of the loss's gradient at a node's output ('fc1' → 'δ⁽¹⁾', 'y' → '∂L/∂ŷ'). */
  error(node: string): string;
  /** The symbol of a node's output ('x' → 'x', 'h1' → 'h⁽¹⁾', 'y' → 'ŷ'). */
  output(node: string): string;
}

/**
 * The names the notation module gives the network's tensors: a linear layer's weight is W⁽ᵏ⁾ and
 * its bias b⁽ᵏ⁾; another layer's weight keeps its full name (`norm.gamma`).
 */
export function tensorNames(nodes: readonly NodeInfo[], weights: Iterable<string>): TensorNames {
  const symbols = new Map<string, string>();
  for (const full of weights) {
    const dot = full.lastIndexOf('.');
    const node = full.slice(0, dot);
    const name = full.slice(dot + 1);
    const s = dot > 0 ? paramSymbol(nodes, node, name) : full;
    symbols.set(full, s === name ? full : s);
  }
  return {
    weight: (name) => symbols.get(name),
    error: (node) => errorSymbol(nodes, node),
    output: (node) => outputSymbol(nodes, node),
  };
}

/** How core names the batch's targets in the memory detail (core/train/trainer.ts TARGETS). */
const TARGETS = '(targets)';

/**
 * The tensor, as the node that keeps it sees it, by its symbol (its output h⁽¹⁾, its input x):
 * the words name tensors by the notation and nodes by their ids, so a node called y is never
 * read as the targets y.
 */
export function whatIsKept(h: HeldTensor, names: TensorNames): string {
  if (h.phase === 'backward') return 'its output, made again while backward ran';
  if (h.tensor === TARGETS) return 'the targets';
  if (h.role === 'output')
    return h.tensor === h.node ? `its output ${names.output(h.node)}` : 'its output';
  if (h.role === 'input') return h.tensor ? `its input ${names.output(h.tensor)}` : 'an input';
  return `a value ${h.op} computed in forward`;
}

/** Which gradients a keeper needs the tensor for: “for ∂L/∂W⁽¹⁾”, “to compute δ⁽¹⁾”. */
export function whyKept(k: Keeper, names: TensorNames): string {
  if (k.op === 'recompute') return 'to run the recompute segment forward again in backward';
  if (!k.for.length) return 'for its backward';
  const grads: string[] = [];
  const passes: string[] = [];
  for (const name of k.for) {
    const w = names.weight(name);
    if (w !== undefined) grads.push(`∂L/∂${w}`);
    else passes.push(names.error(name));
  }
  const out: string[] = [];
  if (grads.length) out.push(`for ${grads.join(' and ')}`);
  if (passes.length) out.push(`to compute ${passes.join(' and ')}`);
  return out.join(', and ');
}

/** One sentence per tensor a node is charged for. */
export function keptSentences(
  held: readonly HeldTensor[],
  node: string,
  names: TensorNames,
): string[] {
  return held
    .filter((h) => h.node === node)
    .map((h) => {
      const what = `${whatIsKept(h, names)} ${shape(h.shape)}, ${bytes(h.bytes)}`;
      // Made again by a recompute segment: held only while the segment's backward runs.
      if (h.phase === 'backward') return `${what}, held while the segment’s backward runs`;
      const by = h.op === 'recompute' ? '' : ` (${h.op}’s backward)`;
      const head = `${what}, ${whyKept(h, names)}${by}`;
      const others = h.alsoKeptBy
        .filter((k) => k.node !== node || k.op !== h.op)
        .map((k) =>
          k.phase === 'backward'
            ? `when the segment runs again in backward, ${k.node} keeps it ${whyKept(k, names)}`
            : `${k.node} keeps the same tensor ${whyKept(k, names)}`,
        );
      return others.length ? `${head}; ${others.join('; ')} — counted once, here` : head;
    });
}

/** The sum of what the nodes kept in forward. */
export function keptTotal(r: MemoryReport): number {
  return Object.values(r.nodes).reduce((s, m) => s + m.savedBytes, 0);
}

/** “−67%” for going from `before` to `after` bytes; “no change”. */
export function percentChange(before: number, after: number): string {
  if (before === after || before === 0) return 'no change';
  const p = Math.round((100 * (after - before)) / before);
  return p === 0 ? (after < before ? '−<1%' : '+<1%') : `${p > 0 ? '+' : '−'}${Math.abs(p)}%`;
}

/**
 * What a recompute segment does with the memory, in words: what it keeps (the tensors entering
 * it), what that saved against the same network without flags, and — for a segment of one
 * node — why that saves nothing: the node after it still keeps the output for its own backward.
 */
export function segmentSentence(
  segment: readonly string[],
  report: MemoryReport,
  plain: MemoryReport | null,
  names: TensorNames,
): string {
  const held = report.held ?? [];
  const first = segment[0];
  const last = segment[segment.length - 1];
  const entering = held.filter((h) => h.op === 'recompute' && h.node === first);
  const enterText = entering.length
    ? entering
        .map(
          (h) =>
            `${h.tensor ? names.output(h.tensor) : 'an input'} ${shape(h.shape)} (${bytes(h.bytes)})`,
        )
        .join(', ')
    : 'nothing (no gradient reaches it)';
  const again = segment.reduce((s, id) => s + (report.nodes[id]?.recomputedBytes ?? 0), 0);
  const name = segment.length === 1 ? first : `${first} → ${last}`;
  let text =
    `Recompute segment ${name} keeps only what enters it: ${enterText}. ` +
    `Backward runs its forward again and holds ${bytes(again)} meanwhile.`;
  if (segment.length === 1) {
    // Who keeps the segment's output now that the segment does not.
    const after = held.find((h) => h.tensor === last && !segment.includes(h.node));
    const keeper = after
      ? `${after.node} still keeps ${last}’s output ${whyKept(after, names)}`
      : `the node after it may still keep ${last}’s output for its own backward`;
    text +=
      ` One node alone saves nothing: it keeps its input instead of its output, and ${keeper}. ` +
      'Mark several nodes in a row: what is inside the run is not kept.';
  } else if (plain) {
    const before = segment.reduce((s, id) => s + (plain.nodes[id]?.savedBytes ?? 0), 0);
    const now = segment.reduce((s, id) => s + (report.nodes[id]?.savedBytes ?? 0), 0);
    text += ` Its nodes kept ${bytes(before)} without it, ${bytes(now)} with it.`;
  }
  return text;
}
