/**
 * What every export format starts from — a compiled network and its weights — and the checks
 * they share.
 */
import type { Normalization } from '../data/normalize';
import type { CompiledGraph, CompiledNode } from '../graph/compile';
import type { Project } from '../graph/schema';
import { matchWeights } from '../io/match-weights';
import type { WeightMap } from '../model/model';
import { sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';

export interface ExportInput {
  /** The compiled network (compileProject, or a Model's `graph`). */
  graph: CompiledGraph;
  /** Its weights by full name (`fc1.weight`), e.g. Model.exportWeights(). */
  weights: WeightMap;
  /** The project written into the file's metadata; defaults to `graph.project`. */
  project?: Project;
  /** Backprop Lab's version, recorded as the ONNX producer_version when given. */
  producerVersion?: string;
  /**
   * What the raw inputs go through before the first layer (the trainer's `normalization`):
   * written into weights files, and computed by the ONNX model and the PyTorch module.
   */
  normalization?: Normalization | null;
}

/** Weight names and shapes the network expects: `<node>.<weight>`, in node order. */
export function expectedWeights(graph: CompiledGraph): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const n of graph.nodes) {
    for (const [name, spec] of Object.entries(n.weights))
      out[`${n.id}.${name}`] = spec.shape.slice();
  }
  return out;
}

/**
 * Throws LabError('WEIGHTS') listing every missing, extra or mis-shaped tensor, or saying that
 * the normalization does not have one offset and scale per input feature.
 */
export function checkWeights(input: ExportInput): void {
  matchWeights(expectedWeights(input.graph), input.weights);
  const norm = input.normalization;
  const features = sizeOf(input.graph.input.outShape);
  if (norm && (norm.offset.length !== features || norm.scale.length !== features)) {
    throw new LabError(
      'WEIGHTS',
      `the input normalization has ${norm.offset.length} offsets and ${norm.scale.length} scales, but the Input node '${input.graph.input.id}' takes ${features} features`,
      { node: input.graph.input.id },
    );
  }
}

/** A node's weights by their short names (`weight`, `a`). */
export function weightsOfNode(
  node: CompiledNode,
  weights: WeightMap,
): Record<string, { name: string; shape: number[]; data: Float32Array }> {
  return Object.fromEntries(
    Object.keys(node.weights).map((short) => {
      const name = `${node.id}.${short}`;
      return [short, { name, ...weights[name] }];
    }),
  );
}

export function isPluginNode(node: CompiledNode): boolean {
  return node.source !== 'builtin';
}

/** `node 'w1' (Wacky, from wacky.js)` or `node 'fc1' (Dense)`: how export messages name a node. */
export function describeNode(node: CompiledNode): string {
  const from = isPluginNode(node) ? `, from ${node.source}` : '';
  return `node '${node.id}' (${node.type}${from})`;
}

/**
 * An export that cannot use what a layer's definition gives, naming the node: a plugin's
 * mistake (PLUGIN), or the engine's own for a built-in (OP).
 */
export function exportError(node: CompiledNode, message: string): LabError {
  const plugin = isPluginNode(node);
  return new LabError(plugin ? 'PLUGIN' : 'OP', `${describeNode(node)}: ${message}`, {
    node: node.id,
    plugin: plugin ? node.source : undefined,
    phase: 'export',
  });
}
