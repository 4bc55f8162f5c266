// Every symbol the Jacobian view writes, in one place, in the lecture's notation: a node's value
// (x, h̃⁽ᵏ⁾ before an activation, h⁽ᵏ⁾ after it, ŷ at the output; 1-based k, from each node's
// symbol as the worker sends it) and each factor's name: W⁽ᵏ⁾ for a linear layer, diag(σ′(h̃⁽ᵏ⁾))
// for an activation unit by unit, I where a layer passes its input on, ∂out/∂in otherwise.
import type { JacobianFactorView, NodeInfo } from '../inspect-types';
import { sup } from '../notation';

export type NodeLookup = (id: string) => NodeInfo | undefined;

/** The symbol of a node's output (its id when the worker sent no symbol for it). */
export function valueSymbol(id: string, node: NodeLookup): string {
  return node(id)?.symbol ?? id;
}

/** ∂to/∂from written out. */
export function partial(to: string, from: string, node: NodeLookup): string {
  return `∂${valueSymbol(to, node)}/∂${valueSymbol(from, node)}`;
}

/** The factor's name in the product. */
export function factorSymbol(f: JacobianFactorView, node: NodeLookup): string {
  const n = node(f.node);
  switch (f.kind) {
    case 'linear':
      return `W${sup(n?.k ?? 1)}`;
    case 'identity':
      return 'I';
    case 'diagonal':
      return n?.sameUnits
        ? `diag(σ′(${valueSymbol(f.input, node)}))`
        : `diag(${partial(f.node, f.input, node)})`;
    case 'general':
      return partial(f.node, f.input, node);
  }
}

/** Where the factor comes from, in words. */
export function factorSource(f: JacobianFactorView, node: NodeLookup): string {
  const n = node(f.node);
  const type = n?.type ?? '';
  if (n && n.source !== 'builtin') {
    return n.hasBackward
      ? `${f.node} (${type}): the plugin's own backward on unit vectors`
      : `${f.node} (${type}): the plugin's forward differentiated by autograd`;
  }
  switch (f.kind) {
    case 'linear':
      return `${f.node} (${type}): its weight ${f.weight ?? ''}`;
    case 'identity':
      return `${f.node} (${type}) passes ${f.input} on unchanged`;
    case 'diagonal':
      return `${f.node} (${type}): its slope at each unit, for this sample`;
    case 'general':
      return `${f.node} (${type}): every output depends on every input`;
  }
}
