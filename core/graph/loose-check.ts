import { checkGraph, type GraphNodeInput, nodeIssue } from './checker';
import type { ProjectIssue } from './parse';

/**
 * The network problems that can be found in a project the schema refused: unknown layer types
 * and inputs that name no node, found and worded by the graph checker compileProject uses. A
 * file with mistakes of both kinds then lists all of them at once, not the schema's first and
 * the rest next time.
 */
export function looseGraphIssues(raw: unknown, knownTypes: ReadonlySet<string>): ProjectIssue[] {
  const list = (raw as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(list)) return [];
  // Only what can be read: nodes with an id, types and inputs that are strings.
  const nodes: GraphNodeInput[] = [];
  const at: number[] = [];
  list.forEach((n: unknown, i) => {
    const node = n as { id?: unknown; type?: unknown; inputs?: unknown };
    if (typeof node !== 'object' || node === null || typeof node.id !== 'string') return;
    const inputs = Array.isArray(node.inputs)
      ? node.inputs.filter((s): s is string => typeof s === 'string')
      : [];
    nodes.push({ id: node.id, type: typeof node.type === 'string' ? node.type : '', inputs });
    at.push(i);
  });
  // Every known type may take any inputs here: the schema's problems come first.
  const layers = {
    get: (type: string) =>
      knownTypes.has(type) ? { inputs: { min: 0, max: Infinity } } : undefined,
    types: () => [...knownTypes],
  };
  const check = checkGraph({ nodes }, layers);
  return check.problemsAt.flatMap((problems, k) =>
    problems
      .filter((p) => p.kind === 'input' || (p.kind === 'type' && nodes[k].type !== ''))
      .map((p) => nodeIssue(nodes[k], at[k], p)),
  );
}
