/**
 * Identity, which is no layer: what an inference export writes for dropout, and what exporters
 * leave between layers. Its output is its input; the importer passes it through.
 */
import type { OnnxNodeInfo } from './onnx-read';
import type { ImportContext } from './pattern';

/** A node that computes nothing: its output is its input. */
export interface AliasMatch {
  alias: string;
  output: string;
  nodes: OnnxNodeInfo[];
}

/** An Identity of a computed value (one of a constant is a constant, folded before). */
export function identityAlias(node: OnnxNodeInfo, ctx: ImportContext): AliasMatch | null {
  if (node.opType !== 'Identity' || ctx.constant(node.inputs[0]) !== undefined) return null;
  return { alias: node.inputs[0], output: node.outputs[0], nodes: [node] };
}
