// The Lab's NodeInfo of a network, as the worker sends it with every result: the notation's
// symbols included, for tests of what the views write.
import { compileProject } from '../../core/graph/compile';
import { parseProject } from '../../core/graph/parse';
import { labNotation } from '../../core/inspect/lab-rules';
import { layerIndices } from '../../core/inspect/steps';
import { LayerRegistry } from '../../core/layers/registry';
import type { LossType } from '../../core/losses';
import type { NodeInfo } from '../../renderer/lab/inspect-types';
import { notation } from '../../renderer/lab/rules';
import { type NodeSpec, makeProject } from './project';

export function nodeInfos(nodes: NodeSpec[], output: string, loss: LossType): NodeInfo[] {
  const project = parseProject(makeProject(nodes, { output, loss: { type: loss } }));
  const graph = compileProject(project, new LayerRegistry());
  const k = layerIndices(graph);
  const notes = labNotation(graph, notation(output, loss));
  return graph.nodes.map((n) => {
    const o = notes.get(n.id)!;
    return {
      id: n.id,
      type: n.type,
      k: k.get(n.id)!,
      inputs: n.inputs,
      outShape: n.outShape,
      source: n.source,
      entry: n.def.entry === true,
      hasBackward: false,
      frozen: n.frozen,
      detach: n.detach,
      memory: n.memory,
      trainable: n.trainable,
      sameUnits: n.def.lab?.sameUnits === true,
      linear: n.def.lab?.linear !== undefined,
      symbol: o.symbol,
      deltaSymbol: o.delta,
      cancels: o.cancels,
      rules: { forward: o.forward, backward: o.backward },
    };
  });
}
