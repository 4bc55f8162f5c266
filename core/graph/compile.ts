import type { LayerDefinition, Params, WeightSpec } from '../layers/contract';
import { arity } from '../layers/contract';
import type { LayerRegistry } from '../layers/registry';
import { formatShape, sizeOf } from '../tensor/tensor';
import { networkBudgetProblems } from './budget';
import { resolveParams } from './params';
import { type ProjectIssue, ProjectError } from './parse';
import type { Project, ProjectNode } from './schema';

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
  /** Things that work but are probably not meant (a BCE loss on logits, unused nodes). */
  warnings: string[];
}

/**
 * Check a validated project against the layers available and infer every shape. All problems
 * are collected and thrown together, each naming its node.
 *
 * @example const graph = compileProject(parseProject(json), new LayerRegistry());
 */
export function compileProject(project: Project, registry: LayerRegistry): CompiledGraph {
  const issues: ProjectIssue[] = [];
  const at = (i: number, field: string) => `nodes[${i}]${field ? '.' + field : ''}`;
  const problem = (node: ProjectNode | undefined, path: string, message: string) =>
    issues.push({
      path,
      node: node?.id,
      message: node
        ? `node '${node.id}'${node.type ? ` (${node.type})` : ''}: ${message}`
        : message,
    });

  const index = new Map<string, number>();
  project.nodes.forEach((n, i) => {
    if (index.has(n.id)) problem(n, at(i, 'id'), `the id '${n.id}' is used by more than one node`);
    else index.set(n.id, i);
  });

  project.nodes.forEach((n, i) => {
    const reg = registry.get(n.type);
    if (!reg) {
      problem(
        n,
        at(i, 'type'),
        `unknown layer type '${n.type}' (available: ${registry.types().join(', ')})`,
      );
      return;
    }
    const ins = n.inputs ?? [];
    ins.forEach((src, j) => {
      if (!index.has(src)) problem(n, at(i, `inputs[${j}]`), `input '${src}' does not exist`);
      if (src === n.id) problem(n, at(i, `inputs[${j}]`), 'a node cannot be its own input');
    });
    const { min, max } = arity(reg.def);
    if (ins.length < min || ins.length > max) {
      const want =
        min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      problem(
        n,
        at(i, 'inputs'),
        `takes ${want} input${want === '1' ? '' : 's'}, got ${ins.length}`,
      );
    }
  });

  const inputs = project.nodes.filter((n) => n.type === 'Input');
  if (inputs.length !== 1) {
    issues.push({
      path: 'nodes',
      message: inputs.length
        ? `a project has exactly one Input node, found ${inputs.length}: ${inputs.map((n) => n.id).join(', ')}`
        : 'the project has no Input node',
    });
  }
  if (!index.has(project.output))
    issues.push({ path: 'output', message: `the output node '${project.output}' does not exist` });

  const order = topoOrder(project.nodes, index);
  if (order.cycle) {
    issues.push({
      path: 'nodes',
      node: order.cycle[0],
      message: `the graph has a cycle: ${order.cycle.join(' → ')}`,
    });
  }
  if (issues.length) throw fail(issues);

  // Shapes, in topological order.
  const compiled = new Map<string, CompiledNode>();
  for (const i of order.order) {
    const n = project.nodes[i];
    const reg = registry.get(n.type)!;
    const { params, problems } = resolveParams(reg.def.params, n.params);
    for (const p of problems) problem(n, at(i, `params.${p.key}`), p.message);
    if (problems.length) continue;
    const ins = n.inputs ?? [];
    if (ins.some((s) => !compiled.has(s))) continue; // an upstream node failed; reported there
    const inShapes = ins.map((s) => compiled.get(s)!.outShape);
    let outShape: number[];
    let weights: Record<string, WeightSpec>;
    try {
      const built = reg.def.build({ inShapes: inShapes.map((s) => s.slice()), params });
      outShape = built.outShape;
      weights = built.weights ?? {};
      if (!Array.isArray(outShape) || !outShape.every((d) => Number.isInteger(d) && d > 0)) {
        throw new Error(
          `build returned outShape ${JSON.stringify(outShape)}, not a list of positive whole numbers`,
        );
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const shapes = inShapes.length
        ? ` (input shape${inShapes.length > 1 ? 's' : ''} ${inShapes.map(formatShape).join(', ')})`
        : '';
      const plugin = reg.source === 'builtin' ? '' : ` from plugin ${reg.source}`;
      problem(
        n,
        at(i, ''),
        `${plugin ? `build of ${n.type}${plugin} failed: ` : ''}${msg}${shapes}`,
      );
      continue;
    }
    const paramCount = Object.values(weights).reduce((p, w) => p + sizeOf(w.shape), 0);
    compiled.set(n.id, {
      id: n.id,
      type: n.type,
      def: reg.def,
      source: reg.source,
      params,
      inputs: ins,
      inShapes,
      outShape,
      weights,
      paramCount,
      frozen: !!n.frozen,
      detach: !!n.detach,
      memory: n.memory ?? 'store',
      trainable: false,
    });
  }
  if (issues.length) throw fail(issues);

  // Keep what the output needs; mark whose weights get gradients.
  const needed = new Set<string>();
  const visit = (id: string) => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const s of compiled.get(id)!.inputs) visit(s);
  };
  visit(project.output);
  const nodes = order.order
    .map((i) => compiled.get(project.nodes[i].id)!)
    .filter((n) => needed.has(n.id));
  const warnings: string[] = [];
  const unused = project.nodes.filter((n) => !needed.has(n.id)).map((n) => n.id);
  if (unused.length)
    warnings.push(
      `not connected to the output '${project.output}', so not trained: ${unused.join(', ')}`,
    );
  const input = compiled.get(inputs[0].id)!;
  if (!needed.has(input.id))
    throw fail([
      {
        path: 'output',
        message: `the output '${project.output}' does not depend on the Input node '${input.id}'`,
      },
    ]);

  const reaches = new Set<string>([project.output]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!reaches.has(n.id) || n.detach) continue;
    for (const s of n.inputs) reaches.add(s);
  }
  for (const n of nodes) n.trainable = !n.frozen && reaches.has(n.id) && n.paramCount > 0;

  // Before anything is allocated for it: a network too big for the memory budget is refused.
  const tooBig = networkBudgetProblems(
    nodes.map((n) => ({ ...n, outSize: sizeOf(n.outShape) })),
    project.training.batchSize,
    project.training.optimizer,
  );
  if (tooBig.length)
    throw fail(
      tooBig.map((p) => {
        const i = index.get(p.node)!;
        return {
          ...p,
          path: at(i, ''),
          message: `node '${p.node}' (${project.nodes[i].type}): ${p.message}`,
        };
      }),
    );

  const output = compiled.get(project.output)!;
  checkLoss(project, output, warnings);
  return { project, nodes, byId: new Map(nodes.map((n) => [n.id, n])), input, output, warnings };
}

function checkLoss(project: Project, output: CompiledNode, warnings: string[]): void {
  const loss = project.loss.type;
  if (loss === 'BCE' && output.type !== 'Sigmoid' && output.type !== 'Softmax') {
    warnings.push(
      `BCE expects probabilities, but the output node '${output.id}' is ${output.type}: end with Sigmoid or use BCEWithLogits`,
    );
  }
  if (
    (loss === 'CrossEntropy' || loss === 'BCEWithLogits') &&
    (output.type === 'Softmax' || output.type === 'Sigmoid')
  ) {
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

/** Kahn's algorithm; on a cycle returns one cycle's node ids. */
function topoOrder(
  nodes: ProjectNode[],
  index: Map<string, number>,
): { order: number[]; cycle?: string[] } {
  const indeg = nodes.map((n) => (n.inputs ?? []).filter((s) => index.has(s)).length);
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) =>
    (n.inputs ?? []).forEach((s) => index.has(s) && consumers[index.get(s)!].push(i)),
  );
  const queue = indeg.flatMap((d, i) => (d === 0 ? [i] : []));
  const order: number[] = [];
  while (queue.length) {
    const i = queue.shift()!;
    order.push(i);
    for (const c of consumers[i]) if (--indeg[c] === 0) queue.push(c);
  }
  if (order.length === nodes.length) return { order };
  // Walk back along inputs inside the unsorted part until a node repeats.
  const left = new Set(nodes.map((_, i) => i).filter((i) => indeg[i] > 0));
  let cur = [...left][0];
  const seen: number[] = [];
  while (!seen.includes(cur)) {
    seen.push(cur);
    cur = (nodes[cur].inputs ?? []).map((s) => index.get(s)!).find((j) => left.has(j))!;
  }
  const cyc = seen.slice(seen.indexOf(cur)).reverse();
  return { order, cycle: [...cyc, cyc[0]].map((i) => nodes[i].id) };
}
