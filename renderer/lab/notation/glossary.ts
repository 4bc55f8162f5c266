// The glossary: every symbol the Lab shows, with its name in words, its definition and where it
// is in this network ("h̃⁽²⁾: the pre-activation of layer 2, the output of node dense2, 8 values
// per sample"). Built from the nodes a Lab result describes; the views' symbols (MathText, SymbolTerm)
// open its cards on hover and on keyboard focus.
import type { LossType } from '../../../core/losses';
import type { NodeInfo } from '../inspect-types';
import { takesLogits } from '../rules';
import { biasSymbol, weightSymbol } from './symbols';

export interface GlossaryEntry {
  symbol: string;
  /** Its name in words: "the pre-activation of layer 2". */
  name: string;
  /** Its definition in the notation: "h̃⁽²⁾ = W⁽²⁾ h⁽¹⁾ + b⁽²⁾". */
  definition: string;
  /** Where it is in this network: "the output of node dense2, 8 values per sample". */
  where: string | null;
}

export type Glossary = ReadonlyMap<string, GlossaryEntry>;

const width = (n: NodeInfo) => n.outShape.reduce((a, b) => a * b, 1);
const values = (v: number) => `${v} value${v === 1 ? '' : 's'} per sample`;

/** "the output of node fc1, 8 values per sample" (several nodes can share a symbol). */
function at(nodes: NodeInfo[], what: string): string {
  const ids = nodes.map((n) => n.id).join(', ');
  return `${what} of node${nodes.length > 1 ? 's' : ''} ${ids}, ${values(width(nodes[0]))}`;
}

function groupBy(nodes: NodeInfo[], key: (n: NodeInfo) => string): Map<string, NodeInfo[]> {
  const m = new Map<string, NodeInfo[]>();
  for (const n of nodes) m.set(key(n), [...(m.get(key(n)) ?? []), n]);
  return m;
}

/** The right-hand side of a node's forward formula ("W⁽¹⁾ x + b⁽¹⁾"), if it has one. */
function rhs(n: NodeInfo): string | null {
  const f = n.rules.forward.formula;
  const i = f.indexOf(' = ');
  return i > 0 && f.slice(0, i) === n.symbol ? f.slice(i + 3) : null;
}

function outputEntry(n: NodeInfo[], output: string, loss: LossType): GlossaryEntry {
  const first = n[0];
  const s = first.symbol;
  const k = first.k;
  const def = rhs(first);
  const where = at(n, 'the output');
  if (first.entry) {
    return { symbol: s, name: 'the input: the features of one sample', definition: 'x', where };
  }
  if (s === 'ŷ') {
    return {
      symbol: s,
      name: "the network's output (its prediction)",
      definition: def ? `ŷ = ${def}` : 'ŷ',
      where: `${where}; the loss compares it with y`,
    };
  }
  if (s === 'ỹ') {
    const logits = takesLogits(loss);
    return {
      symbol: s,
      name: logits
        ? `the logits: the last pre-activation (the loss applies ${loss === 'CrossEntropy' ? 'softmax' : 'σ'} to get ŷ)`
        : 'the last pre-activation, before the output activation',
      definition: `${def ? `ỹ = ${def}` : 'ỹ'};  ŷ = ${loss === 'CrossEntropy' ? 'softmax' : 'σ'}(ỹ)`,
      where: first.id === output ? `${where}; the loss reads it` : where,
    };
  }
  if (first.linear) {
    return {
      symbol: s,
      name: `the pre-activation of layer ${k}`,
      definition: `${s} = ${def ?? `W⁽${k}⁾ h⁽${k - 1}⁾ + b⁽${k}⁾`}`,
      where,
    };
  }
  return {
    symbol: s,
    name: `the post-activation of layer ${k} (after ${first.type})`,
    definition: def ? `${s} = ${def}` : `${s}, the output of ${first.type}`,
    where,
  };
}

function errorEntry(n: NodeInfo[]): GlossaryEntry {
  const first = n[0];
  const s = first.deltaSymbol;
  if (first.linear) {
    return {
      symbol: s,
      name: `the local error of layer ${first.k}`,
      definition: `${s} = ∂L/∂${first.symbol}: how the loss changes with each pre-activation`,
      where: at(n, 'at the output'),
    };
  }
  return {
    symbol: s,
    name: `the loss’s gradient at ${first.symbol} (not a local error δ: that is at a pre-activation)`,
    definition: `${s}: how the loss changes with each value of ${first.symbol}`,
    where: at(n, 'at the output'),
  };
}

/** What the loss L is, in general (each loss figure also says which samples it uses). */
const LOSS_NAME: Record<LossType, string> = {
  BCE: 'binary cross-entropy on ŷ',
  BCEWithLogits: 'binary cross-entropy on the logits ỹ',
  MSE: 'mean squared error',
  CrossEntropy: 'softmax and cross-entropy on the logits ỹ',
};

/** The notation for any layer k (in prose and general rules). */
const GENERAL: GlossaryEntry[] = [
  {
    symbol: 'h̃⁽ᵏ⁾',
    name: 'the pre-activation of layer k',
    definition: 'h̃⁽ᵏ⁾ = W⁽ᵏ⁾ h⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾ (h⁽⁰⁾ = x)',
    where: null,
  },
  {
    symbol: 'h⁽ᵏ⁾',
    name: 'the post-activation of layer k',
    definition: 'h⁽ᵏ⁾ = σ(h̃⁽ᵏ⁾), σ the layer’s activation',
    where: null,
  },
  {
    symbol: 'δ⁽ᵏ⁾',
    name: 'the local error of layer k',
    definition: 'δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾, at the pre-activation',
    where: null,
  },
  {
    symbol: '∂L/∂h⁽ᵏ⁾',
    name: 'the loss’s gradient at the post-activation of layer k',
    definition: 'δ⁽ᵏ⁾ = ∂L/∂h⁽ᵏ⁾ ⊙ σ′(h̃⁽ᵏ⁾) turns it into the local error',
    where: null,
  },
  {
    symbol: '∂L/∂h',
    name: 'the loss’s gradient at an activation’s output',
    definition: '∂L/∂h⁽ᵏ⁾ = W⁽ᵏ⁺¹⁾ᵀ δ⁽ᵏ⁺¹⁾, from the layer above',
    where: null,
  },
];

/**
 * The glossary of a network as a Lab result describes it.
 *
 * @example glossary(r.nodes, 'BCE', 'y').get('h̃⁽¹⁾')?.name // 'the pre-activation of layer 1'
 */
export function glossary(nodes: NodeInfo[], loss: LossType, output: string): Glossary {
  const g = new Map<string, GlossaryEntry>();
  const add = (e: GlossaryEntry) => {
    if (!g.has(e.symbol)) g.set(e.symbol, e);
  };
  for (const n of groupBy(nodes, (m) => m.symbol).values()) add(outputEntry(n, output, loss));
  for (const n of groupBy(nodes, (m) => m.deltaSymbol).values()) add(errorEntry(n));
  for (const n of nodes.filter((m) => m.linear)) {
    const W = weightSymbol(nodes, n.id);
    const inW = nodes.find((m) => m.id === n.inputs[0]);
    const shape = inW ? `${width(n)} × ${width(inW)}` : `${width(n)} rows`;
    add({
      symbol: W,
      name: `the weights of layer ${n.k}`,
      definition: `${W}ⱼᵢ connects unit i of the layer below to unit j of layer ${n.k}`,
      where: `node ${n.id}’s weight, ${shape}`,
    });
    add({
      symbol: `∂L/∂${W}`,
      name: `the gradient of the loss with respect to ${W}`,
      definition: `∂L/∂${W} = ${n.deltaSymbol} ${inW?.symbol ?? 'h'}ᵀ, summed over the batch`,
      where: `what the optimizer uses to update ${n.id}.weight`,
    });
    const b = biasSymbol(nodes, n.id);
    add({
      symbol: b,
      name: `the bias of layer ${n.k}`,
      definition: `one number per unit of layer ${n.k}, added to ${W} times the layer below`,
      where: `node ${n.id}’s bias, ${width(n)} values`,
    });
    add({
      symbol: `∂L/∂${b}`,
      name: `the gradient of the loss with respect to ${b}`,
      definition: `∂L/∂${b} = Σ ${n.deltaSymbol} over the batch`,
      where: `what the optimizer uses to update ${n.id}.bias`,
    });
  }
  add({
    symbol: 'y',
    name: 'the target: the value the network should give for a sample',
    definition:
      takesLogits(loss) || loss === 'BCE' ? 'y: 0 or 1 per class (one-hot for classes)' : 'y',
    where: 'from the data set’s target columns',
  });
  add({
    symbol: 'L',
    name: `the loss: ${LOSS_NAME[loss]}`,
    definition: 'one number: the mean over the samples it is computed on (each figure says which)',
    where: `computed on ${nodes.find((n) => n.id === output)?.symbol ?? 'ŷ'} (node ${output}) and y`,
  });
  add({
    symbol: 'N',
    name: 'the number of samples the loss averages over',
    definition: 'L is a mean, so each sample’s gradient is divided by N',
    where: null,
  });
  add({
    symbol: 'σ',
    name: 'the logistic sigmoid',
    definition: 'σ(t) = 1 / (1 + e⁻ᵗ),  σ′(t) = σ(t)(1 − σ(t))',
    where: null,
  });
  add({
    symbol: '⊙',
    name: 'unit-by-unit (elementwise) product',
    definition: 'a ⊙ b multiplies each value of a by the matching value of b',
    where: null,
  });
  for (const e of GENERAL) add(e);
  add({
    symbol: 'δ',
    name: 'the local error of a layer (any k)',
    definition: 'δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾: the loss’s gradient at the pre-activation of layer k',
    where: null,
  });
  return g;
}
