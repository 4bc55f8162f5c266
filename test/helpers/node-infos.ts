// The Lab's NodeInfo of a network, as the worker sends it with every result: the notation's
// symbols included, for tests of what the views write.
import { compileProject } from '../../core/graph/compile';
import { parseProject } from '../../core/graph/parse';
import type { LayerDefinition } from '../../core/layers/contract';
import { LayerRegistry } from '../../core/layers/registry';
import type { LossType } from '../../core/losses';
import type { NodeInfo } from '../../renderer/lab/inspect-types';
import { describeNodes } from '../../renderer/worker/lab-views/workbench';
import { type NodeSpec, makeProject } from './project';

export function nodeInfos(
  nodes: NodeSpec[],
  output: string,
  loss: LossType,
  plugins: [LayerDefinition, string][] = [],
): NodeInfo[] {
  const registry = new LayerRegistry();
  for (const [def, file] of plugins) registry.add(def, file);
  const project = parseProject(makeProject(nodes, { output, loss: { type: loss } }));
  return describeNodes(compileProject(project, registry), loss);
}
