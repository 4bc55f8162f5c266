import type { ProjectInput } from '../../core/graph/schema';
import type { LayerInfo } from './layer-catalog';

/**
 * The project as saved: its `plugins` list names every plugin file a node uses, so the
 * command line (which resolves the names next to the project file, then among the shipped
 * plugins) can run it. Entries the user wrote are kept; plugin files are named by their file
 * name ('app:wacky.js' → 'wacky.js').
 */
export function withUsedPlugins(
  project: ProjectInput,
  layerInfo: (type: string) => LayerInfo | undefined,
): ProjectInput {
  const listed = project.plugins ?? [];
  const have = new Set(listed.map(baseName));
  const add: string[] = [];
  for (const n of project.nodes) {
    const source = layerInfo(n.type)?.source;
    if (!source || source === 'builtin') continue;
    const name = baseName(source.replace(/^(app|user):/, ''));
    if (!have.has(name)) {
      have.add(name);
      add.push(name);
    }
  }
  return add.length ? { ...project, plugins: [...listed, ...add] } : project;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}
