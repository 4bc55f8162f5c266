// Which node must change when the output's width is wrong: the output passes on what an
// element-wise layer before it made, so the fix is further up, at the layer that set the width.
import type { ParamSpec, Params } from '../layers/contract';

/** A node as the tracer reads it: a compiled node has all of this. */
export interface WidthNode {
  id: string;
  inputs: string[];
  inShapes: number[][];
  outShape: number[];
  params: Params;
  def: { params?: Record<string, ParamSpec>; entry?: boolean };
}

export interface WidthSource {
  /** The node whose output width the output passes on (the output itself when it sets it). */
  node: string;
  /**
   * Its whole-number parameter that holds that width (Dense's `units`); absent when none or
   * more than one does, or the node is the Input (whose width the data's features decide).
   */
  param?: string;
  /** The node is where data enters: no parameter of the network sets this width. */
  entry: boolean;
}

/**
 * Walk up from `output` through layers that keep their one input's shape (activations, Dropout)
 * to the first node that makes a width of its own: a layer with a units-like parameter, a merge,
 * or the Input.
 *
 * @example widthSource(graph.byId, 'sigmoid2') // { node: 'dense2', param: 'units', entry: false }
 */
export function widthSource(nodes: ReadonlyMap<string, WidthNode>, output: string): WidthSource {
  let cur = nodes.get(output)!;
  const seen = new Set<string>();
  for (;;) {
    if (cur.def.entry) return { node: cur.id, entry: true };
    const holders = widthParams(cur);
    // A Dense of as many units as inputs keeps the shape too, but it is the one that sets it.
    if (holders.length) {
      return holders.length === 1
        ? { node: cur.id, param: holders[0], entry: false }
        : { node: cur.id, entry: false };
    }
    seen.add(cur.id);
    const up = cur.inputs.length === 1 ? nodes.get(cur.inputs[0]) : undefined;
    if (!up || seen.has(up.id) || !sameShape(cur.inShapes[0], cur.outShape)) {
      return { node: cur.id, entry: false };
    }
    cur = up;
  }
}

/** The node's whole-number parameters whose value is its output's width (its last axis). */
function widthParams(n: WidthNode): string[] {
  const width = n.outShape[n.outShape.length - 1];
  return Object.entries(n.def.params ?? {})
    .filter(([k, spec]) => spec.type === 'int' && n.params[k] === width)
    .map(([k]) => k);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
