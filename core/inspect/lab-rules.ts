// The rule each step of backprop applies, in the lecture's notation, for every node of a
// network: the symbols of its output and local error, and its forward and backward rules from
// its layer's Lab formulas (core/layers/lab.ts), or generic ones. Computed where the layers'
// code is (the training worker), for built-ins and plugins alike; the UI only shows them.
//
// The notation (1-based layers: the Input is x, each linear layer starts the next k):
//   h̃⁽ᵏ⁾ = W⁽ᵏ⁾ h⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾   the pre-activation, output of the k-th linear layer
//   h⁽ᵏ⁾ = σ(h̃⁽ᵏ⁾)             the post-activation (any other node of layer k)
//   ỹ, ŷ                        the last pre-activation and the network's output, ŷ = σ(ỹ);
//                               with a loss on logits the output is ỹ (the loss applies σ)
//   δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾             the local error, always at a pre-activation (δ⁽ᴰ⁾ = ∂L/∂ỹ)
//   ∂L/∂h⁽ᵏ⁾, ∂L/∂ŷ, ∂L/∂x      the error at any other node's output, named plainly
import type { CompiledGraph, CompiledNode } from '../graph/compile';
import type { LabContext, LabRule } from '../layers/lab';
import { layerIndices } from './steps';

const SUP: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};

/** ⁽ᵏ⁾ for a layer index. */
export function sup(k: number): string {
  return `⁽${[...String(k)].map((c) => SUP[c] ?? c).join('')}⁾`;
}

export interface StepRule {
  /** What happens, in words. */
  title: string;
  /** The formula, in the lecture's notation. */
  formula: string;
  /** More formulas (a Dense layer's weight gradients). */
  more: string[];
  /** A remark (frozen, detach, evaluation mode, a plugin). */
  note: string | null;
  /** Name of what is shown: the node's output going forward, its δ going back. */
  shows: string;
}

export interface NodeNotation {
  /** The symbol of the node's output: x, h̃⁽ᵏ⁾, h⁽ᵏ⁾, ỹ or ŷ. */
  symbol: string;
  /** The symbol of the loss's gradient at its output: δ⁽ᵏ⁾ at a linear layer, else ∂L/∂(symbol). */
  delta: string;
  /** The loss whose gradient its derivative cancels at the output (BCE on a sigmoid), if any. */
  cancels: string | null;
  forward: StepRule;
  backward: StepRule;
}

const DETACH = 'detach: nothing is passed on to its inputs';

/**
 * Every node's symbols and rules. `logits`: the network's output is logits (the loss squashes
 * them), so it is ỹ rather than ŷ. `loss`: the loss's type, for the output's shortcut (BCE on a
 * sigmoid, `lab.cancels`).
 *
 * @example labNotation(graph, { logits: false }).get('fc1')?.forward.formula // 'h̃⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾'
 */
export function labNotation(
  graph: Pick<CompiledGraph, 'nodes' | 'output'>,
  o: { logits: boolean; loss?: string },
): Map<string, NodeNotation> {
  const k = layerIndices(graph);
  const symbols = symbolTable(graph, k, o.logits);
  const out = new Map<string, NodeNotation>();
  for (const n of graph.nodes) {
    const own = symbols.get(n.id)!;
    const ctx: LabContext = Object.freeze({
      node: n.id,
      type: n.type,
      params: n.params,
      k: k.get(n.id) ?? 0,
      sup: sup(k.get(n.id) ?? 0),
      out: own.symbol,
      ins: n.inputs.map((s) => symbols.get(s)?.symbol ?? s),
      delta: own.delta,
      inDeltas: n.inputs.map((s) => symbols.get(s)?.delta ?? s),
      weights: Object.keys(n.weights),
      frozen: n.frozen,
      detach: n.detach,
    });
    const forward = ruleOf(n, ctx, 'forward');
    const c = n.def.lab?.cancels;
    const cancels = n.id === graph.output.id && c && c.loss === o.loss ? c.loss : null;
    const backward = ruleOf(n, ctx, 'backward', cancels ? c!.backward : undefined);
    out.set(n.id, {
      ...own,
      cancels,
      forward: {
        ...forward,
        shows: forward.shows ?? `${own.symbol}, the output of ${n.id}`,
      },
      backward: {
        ...backward,
        note: [backward.note, n.detach ? DETACH : null].filter(Boolean).join('; ') || null,
        shows:
          backward.shows ??
          (n.def.lab?.linear
            ? `${own.delta}, the local error of layer ${k.get(n.id) ?? 0} (at the output of ${n.id})`
            : `${own.delta}, the loss’s gradient at the output of ${n.id}`),
      },
    });
  }
  return out;
}

/** Each node's output and error symbols (see the notation at the top of this file). */
function symbolTable(
  graph: Pick<CompiledGraph, 'nodes' | 'output'>,
  k: Map<string, number>,
  logits: boolean,
): Map<string, { symbol: string; delta: string }> {
  const output = graph.output;
  // ŷ = σ(ỹ): the linear layer an activation at the output reads from holds ỹ.
  const lastPre =
    !logits &&
    output.def.lab?.sameUnits === true &&
    output.inputs.length === 1 &&
    graph.nodes.find((n) => n.id === output.inputs[0])?.def.lab?.linear !== undefined
      ? output.inputs[0]
      : null;
  const symbols = new Map<string, { symbol: string; delta: string }>();
  for (const n of graph.nodes) {
    const sk = sup(k.get(n.id) ?? 0);
    const linear = n.def.lab?.linear !== undefined;
    const symbol =
      n.id === output.id
        ? logits
          ? 'ỹ'
          : 'ŷ'
        : n.id === lastPre
          ? 'ỹ'
          : n.def.entry
            ? 'x'
            : `${linear ? 'h̃' : 'h'}${sk}`;
    symbols.set(n.id, { symbol, delta: linear ? `δ${sk}` : `∂L/∂${symbol}` });
  }
  return symbols;
}

type Rule = Omit<StepRule, 'shows'> & { shows?: string };

/** The layer's own rule when it has one that works, else a generic one. */
function ruleOf(
  n: CompiledNode,
  c: LabContext,
  phase: 'forward' | 'backward',
  instead?: (c: LabContext) => LabRule,
): Rule {
  const formulas = n.def.lab;
  const write = instead ?? formulas?.[phase];
  if (typeof write === 'function') {
    let made: unknown;
    try {
      made = write.call(formulas, c);
    } catch (e) {
      return generic(n, c, phase, `its Lab formula failed: ${e instanceof Error ? e.message : e}`);
    }
    const r = made as Partial<LabRule> | null;
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (
      !r ||
      typeof r.title !== 'string' ||
      typeof r.formula !== 'string' ||
      (r.more !== undefined && !strings(r.more)) ||
      (r.note !== undefined && typeof r.note !== 'string') ||
      (r.shows !== undefined && typeof r.shows !== 'string')
    ) {
      return generic(n, c, phase, `its Lab formula must give { title, formula, more?, note? }`);
    }
    const plugin = n.source === 'builtin' ? null : `from the plugin ${fileName(n.source)}`;
    return {
      title: r.title,
      formula: r.formula,
      more: r.more ? r.more.slice() : [],
      note: r.note ?? plugin,
      ...(r.shows ? { shows: r.shows } : {}),
    };
  }
  return generic(n, c, phase, null);
}

/** The rule of a layer without Lab formulas: a plugin's says how its backward is computed. */
function generic(
  n: CompiledNode,
  c: LabContext,
  phase: 'forward' | 'backward',
  problem: string | null,
): Rule {
  const custom = typeof n.def.backward === 'function';
  if (n.source !== 'builtin') {
    const name = `${n.type} from ${fileName(n.source)}`;
    if (phase === 'forward') {
      return {
        title: `Forward of the plugin layer ${name}`,
        formula: `${c.out} = ${n.type}(${c.ins.join(', ')})`,
        more: [],
        note:
          problem ??
          (custom
            ? 'its forward saves what its own backward needs (ctx.save)'
            : 'computed with ctx.ops, so autograd can run it backward'),
      };
    }
    return {
      title: custom
        ? `Custom backward (plugin ${name})`
        : `Autograd through ctx.ops (plugin ${name} has no backward)`,
      formula: `${c.inDeltas[0] ?? 'δ of the inputs'} = J_${n.type}ᵀ ${c.delta}`,
      more: [],
      note: problem,
    };
  }
  return phase === 'forward'
    ? {
        title: `Forward of ${n.type}`,
        formula: `${c.out} = ${n.type}(${c.ins.join(', ')})`,
        more: [],
        note: problem,
      }
    : {
        title: `Backward of ${n.type}`,
        formula: `${c.inDeltas[0] ?? ''} = J ᵀ ${c.delta}`,
        more: [],
        note: problem,
      };
}

/** 'app:wacky.js' → 'wacky.js'. */
function fileName(source: string): string {
  return source.replace(/^(app|user):/, '');
}
