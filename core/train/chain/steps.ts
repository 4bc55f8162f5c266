// The fused loop's view of a plain chain: each node with its fused kernel and sizes, or null
// when the graph is not a chain every layer of which has a fused kernel.
import type { CompiledGraph, CompiledNode } from '../../graph/compile';
import type { FusedShapes } from '../../layers/fused';
import { type FusedCall, fusedCall } from '../../layers/fused-call';

export interface ChainStep {
  node: CompiledNode;
  /** How the node's fused kernel is called. */
  kernel: FusedCall;
  shapes: FusedShapes;
  /** Values per sample entering and leaving the node. */
  inSize: number;
  outSize: number;
  /** Values per sample the kernel keeps from forward to backward. */
  scratch: number;
  /** The node's output depends on something trainable (so a gradient flows back into it). */
  outNeedsGrad: boolean;
  /** A gradient is wanted for the node's input. */
  inNeedsGrad: boolean;
}

/**
 * The nodes of a plain chain of layers with fused kernels (Input → … → output, each node
 * feeding only the next), in order, or null when the graph is anything else (merges, recompute
 * segments, layers without a fused kernel or whose kernel does not fit the node). Such chains —
 * most networks people build — train through a fused plan with buffers reused step after step;
 * every other graph uses the tape.
 */
export function chainSteps(graph: CompiledGraph): ChainStep[] | null {
  const nodes = graph.nodes;
  if (nodes[0] !== graph.input || nodes[nodes.length - 1] !== graph.output) return null;
  const steps: ChainStep[] = [];
  let prev = nodes[0];
  let needs = false; // the Input carries no gradient
  for (let i = 1; i < nodes.length; i++) {
    const n = nodes[i];
    const kernel = n.def.fused;
    if (!kernel || n.memory === 'recompute') return null;
    if (n.inputs.length !== 1 || n.inputs[0] !== prev.id) return null;
    const shapes: FusedShapes = {
      inShape: n.inShapes[0].slice(),
      outShape: n.outShape.slice(),
      params: n.params,
      weightShapes: Object.fromEntries(
        Object.entries(n.weights).map(([w, spec]) => [w, spec.shape.slice()]),
      ),
    };
    const scratch = fits(kernel, shapes);
    if (scratch === null) return null;
    const inNeedsGrad: boolean = !n.detach && needs;
    const outNeedsGrad: boolean = inNeedsGrad || n.trainable;
    steps.push({
      node: n,
      kernel: fusedCall(n.def, kernel, { node: n.id, source: n.source }),
      shapes,
      inSize: n.inShapes[0].reduce((p, d) => p * d, 1),
      outSize: n.outShape.reduce((p, d) => p * d, 1),
      scratch,
      outNeedsGrad,
      inNeedsGrad,
    });
    needs = outNeedsGrad;
    prev = n;
  }
  // Every node must be used by the next one only (a chain, not a tree).
  const uses = new Map<string, number>();
  for (const n of nodes) for (const s of n.inputs) uses.set(s, (uses.get(s) ?? 0) + 1);
  for (const n of nodes.slice(0, -1)) if (uses.get(n.id) !== 1) return null;
  return steps.length ? steps : null;
}

/**
 * The scratch a kernel needs for this node, or null when it does not fit the node. A kernel that
 * cannot say (its fits or scratch throws, or gives no whole number) leaves the node to the tape,
 * which reports what is wrong with the layer, if anything.
 */
function fits(
  kernel: NonNullable<CompiledNode['def']['fused']>,
  shapes: FusedShapes,
): number | null {
  try {
    if (kernel.fits && kernel.fits(shapes) !== true) return null;
    const scratch = kernel.scratch ? kernel.scratch(shapes) : 0;
    return Number.isInteger(scratch) && scratch >= 0 ? scratch : null;
  } catch {
    return null;
  }
}
