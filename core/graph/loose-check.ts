import type { ProjectIssue } from './parse';

/**
 * The network problems that can be found in a project the schema refused: unknown layer types
 * and inputs that name no node, worded as compileProject words them. A file with mistakes of
 * both kinds then lists all of them at once, not the schema's first and the rest next time.
 */
export function looseGraphIssues(raw: unknown, knownTypes: ReadonlySet<string>): ProjectIssue[] {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const ids = new Set<string>();
  for (const n of nodes) if (typeof n?.id === 'string') ids.add(n.id);
  const issues: ProjectIssue[] = [];
  nodes.forEach((n: unknown, i) => {
    const node = n as { id?: unknown; type?: unknown; inputs?: unknown };
    if (typeof node !== 'object' || node === null || typeof node.id !== 'string') return;
    const type = typeof node.type === 'string' ? node.type : '';
    const who = `node '${node.id}'${type ? ` (${type})` : ''}`;
    if (type && !knownTypes.has(type)) {
      issues.push({
        path: `nodes[${i}].type`,
        node: node.id,
        message: `${who}: unknown layer type '${type}' (available: ${[...knownTypes].join(', ')})`,
      });
    }
    if (Array.isArray(node.inputs)) {
      node.inputs.forEach((src: unknown, j) => {
        if (typeof src === 'string' && !ids.has(src)) {
          issues.push({
            path: `nodes[${i}].inputs[${j}]`,
            node: node.id as string,
            message: `${who}: input '${src}' does not exist`,
          });
        }
      });
    }
  });
  return issues;
}
