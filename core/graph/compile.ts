import type { LayerDefinition, Params, WeightSpec } from '../layers/contract';
import type { LayerRegistry } from '../layers/registry';
import { formatShape, sizeOf } from '../tensor/tensor';
import { networkBudgetProblems } from './budget';
import { checkGraph, registryLayers, unusedWarning } from './checker';
import { type ProjectIssue, ProjectError } from './parse';
import type { Project } from './schema';

export interface CompiledNode {
  id: string;
  type: string;
  def: LayerDefinition;
  /** 'builtin' or the plugin file the layer came from. */
  source: string;
  params: Params;
  inputs: string[];
  inShapes: number[][];
  /** Output shape without the batch dimension. */
  outShape: number[];
  weights: Record<string, WeightSpec>;
  paramCount: number;
  frozen: boolean;
  detach: boolean;
  memory: 'store' | 'recompute';
  /** Its weights want gradients: not frozen, and its output reaches the loss without a detach. */
  trainable: boolean;
}

export interface CompiledGraph {
  project: Project;
  /** Nodes the output depends on, in an order where inputs come first. */
  nodes: CompiledNode[];
  byId: Map<string, CompiledNode>;
  input: CompiledNode;
  output: CompiledNode;
  /** Things that work but are probably not meant (a BCE loss on logits, nodes left out). */
  warnings: string[];
}

/**
 * Check a validated project against the layers available and infer every shape. All problems
 * are collected and thrown together, each naming its node. Nodes that do not feed the output are
 * left out with a warning, whatever their problems (the project keeps them).
 *
 * @example const graph = compileProject(parseProject(json), new LayerRegistry());
 */
export function compileProject(project: Project, registry: LayerRegistry): CompiledGraph {
  const check = checkGraph(project, registryLayers(registry));
  if (check.issues.length) throw fail(check.issues);

  // Only what the output needs.
  const compiled = new Map<string, CompiledNode>();
  for (const id of check.order) {
    const c = check.nodes.get(id)!;
    if (!c.used) continue;
    const n = project.nodes[c.index];
    const reg = registry.get(n.type)!;
    compiled.set(id, {
      id,
      type: n.type,
      def: reg.def,
      source: reg.source,
      params: c.params!,
      inputs: n.inputs ?? [],
      inShapes: c.inShapes!,
      outShape: c.outShape!,
      weights: c.weights!,
      paramCount: c.paramCount!,
      frozen: !!n.frozen,
      detach: !!n.detach,
      memory: n.memory ?? 'store',
      trainable: c.trainable,
    });
  }
  const nodes = [...compiled.values()];
  const warnings: string[] = [];
  const unused = unusedWarning(check, project.output);
  if (unused) warnings.push(unused);
  // Before anything is allocated for it: a network too big for the memory budget is refused.
  const tooBig = networkBudgetProblems(
    nodes.map((n) => ({ ...n, outSize: sizeOf(n.outShape) })),
    project.training.batchSize,
    project.training.optimizer,
  );
  if (tooBig.length)
    throw fail(
      tooBig.map((p) => {
        const c = check.nodes.get(p.node)!;
        return {
          ...p,
          path: `nodes[${c.index}]`,
          message: `node '${p.node}' (${project.nodes[c.index].type}): ${p.message}`,
        };
      }),
    );

  const input = compiled.get(check.entries[0])!;
  const output = compiled.get(project.output)!;
  checkLoss(project, output, warnings);
  return { project, nodes, byId: new Map(nodes.map((n) => [n.id, n])), input, output, warnings };
}

function checkLoss(project: Project, output: CompiledNode, warnings: string[]): void {
  const loss = project.loss.type;
  const probabilities = output.def.probabilities === true;
  if (loss === 'BCE' && !probabilities) {
    warnings.push(
      `BCE expects probabilities, but the output node '${output.id}' is ${output.type}: end with Sigmoid or use BCEWithLogits`,
    );
  }
  if ((loss === 'CrossEntropy' || loss === 'BCEWithLogits') && probabilities) {
    warnings.push(
      `${loss} expects logits, but the output node '${output.id}' is ${output.type}, which is applied twice`,
    );
  }
  if (loss === 'CrossEntropy' && output.outShape.length !== 1) {
    throw fail([
      {
        path: 'loss.type',
        node: output.id,
        message: `CrossEntropy needs an output of shape [classes], but '${output.id}' has ${formatShape(output.outShape)}`,
      },
    ]);
  }
}

function fail(issues: ProjectIssue[]): ProjectError {
  const head =
    issues.length === 1
      ? issues[0].message
      : `${issues.length} problems in the network, first: ${issues[0].message}`;
  return new ProjectError('PROJECT_GRAPH', head, issues);
}
