// The lecture's symbols of a network's nodes, looked up by node: what every view writes instead
// of spelling a symbol itself. The symbols are made where the layers' code is (the worker,
// core/inspect/lab-rules.ts) and arrive with every Lab result as NodeInfo.symbol / deltaSymbol;
// this file only reads them. Indices shown to the student are 1-based (layers and units).
import { sup } from '../../../core/inspect/lab-rules';
import type { NodeInfo } from '../inspect-types';

export { sup };

type Nodes = readonly NodeInfo[];

const SUB: Record<string, string> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  i: 'ᵢ',
  j: 'ⱼ',
  k: 'ₖ',
};

/** A subscript: sub('j') → 'ⱼ', sub(12) → '₁₂'. */
export function sub(v: string | number): string {
  return [...String(v)].map((c) => SUB[c] ?? c).join('');
}

/** The 1-based number a student sees for the 0-based unit or sample `i`. */
export function unitNumber(i: number): number {
  return i + 1;
}

function find(nodes: Nodes, id: string | null | undefined): NodeInfo | null {
  return (id && nodes.find((n) => n.id === id)) || null;
}

/** A node whose output starts a layer (Dense, or a plugin with lab.linear). */
export function isLinear(nodes: Nodes, id: string): boolean {
  return find(nodes, id)?.linear === true;
}

/** The lecture's layer number k of a node (the Input 0, the first linear layer 1). */
export function layerOf(nodes: Nodes, id: string): number {
  return find(nodes, id)?.k ?? 0;
}

/**
 * The symbol of node `id`'s output, as written everywhere: x, h̃⁽ᵏ⁾, h⁽ᵏ⁾, ỹ or ŷ.
 *
 * @example outputSymbol(nodes, 'h1') // 'h⁽¹⁾'
 */
export function outputSymbol(nodes: Nodes, id: string): string {
  return find(nodes, id)?.symbol ?? id;
}

/**
 * The pre-activation belonging to node `id`: its own output for a linear layer, else the output
 * of the linear layer it reads from (an activation's h̃⁽ᵏ⁾, or ỹ at the output); null if none.
 *
 * @example preActivation(nodes, 'h1') // 'h̃⁽¹⁾' (h1 = tanh(fc1))
 */
export function preActivation(nodes: Nodes, id: string): string | null {
  const n = find(nodes, id);
  if (!n) return null;
  if (isLinear(nodes, id)) return n.symbol;
  const below = n.inputs.length === 1 ? n.inputs[0] : null;
  return below && isLinear(nodes, below) ? outputSymbol(nodes, below) : null;
}

/**
 * The post-activation belonging to node `id`: its own output for a non-linear node, else the
 * output of the one node that reads a linear layer unit by unit (h⁽ᵏ⁾ or ŷ); null if none.
 */
export function postActivation(nodes: Nodes, id: string): string | null {
  const n = find(nodes, id);
  if (!n) return null;
  if (!isLinear(nodes, id)) return n.symbol;
  const readers = nodes.filter((m) => m.inputs.length === 1 && m.inputs[0] === id && m.sameUnits);
  return readers.length === 1 ? readers[0].symbol : null;
}

/**
 * The symbol of the loss's gradient at node `id`'s output: δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾ for a linear layer,
 * ∂L/∂h⁽ᵏ⁾ (∂L/∂ŷ, ∂L/∂x) for any other node.
 */
export function errorSymbol(nodes: Nodes, id: string): string {
  return find(nodes, id)?.deltaSymbol ?? `∂L/∂${id}`;
}

/**
 * The loss's gradient at node `id`'s output in words, then its symbol, for accessible names:
 * "Local error δ⁽¹⁾" at a linear layer, "Loss gradient ∂L/∂h⁽¹⁾" at any other node.
 */
export function errorWords(nodes: Nodes, id: string): string {
  return `${isLinear(nodes, id) ? 'Local error' : 'Loss gradient'} ${errorSymbol(nodes, id)}`;
}

/** The weight of a linear node: W⁽ᵏ⁾. */
export function weightSymbol(nodes: Nodes, id: string): string {
  return `W${sup(layerOf(nodes, id))}`;
}

/** The bias of a linear node: b⁽ᵏ⁾. */
export function biasSymbol(nodes: Nodes, id: string): string {
  return `b${sup(layerOf(nodes, id))}`;
}

/** A weight tensor's symbol by its name on node `id`: W⁽ᵏ⁾, b⁽ᵏ⁾, or the name itself. */
export function paramSymbol(nodes: Nodes, id: string, name: string): string {
  if (!isLinear(nodes, id)) return name;
  return name === 'weight'
    ? weightSymbol(nodes, id)
    : name === 'bias'
      ? biasSymbol(nodes, id)
      : name;
}

/** A symbol with a unit subscript: withUnit('δ⁽²⁾', 3) → 'δ⁽²⁾₃' (`u` already 1-based or a letter). */
export function withUnit(symbol: string, u: string | number): string {
  return `${symbol}${sub(u)}`;
}
