// Shared by the plugin tests: a catalog that evaluates plugins exactly as the command line does
// (and as the app's worker does: a data: URL module), the shipped examples, and a tiny project
// trained through prepareTraining with the catalog's registry.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluatePluginModule } from '../../../cli/plugins';
import { parseProject } from '../../../core/graph/parse';
import type { ProjectInput } from '../../../core/graph/schema';
import type { LayerRegistry } from '../../../core/layers/registry';
import { PluginCatalog, type PluginStatus } from '../../../core/plugins/catalog';
import { type Prepared, prepareTraining } from '../../../core/project/prepare';
import { makeProject, type NodeSpec, nodeHost } from '../../helpers/project';

export const PLUGINS_DIR = fileURLToPath(new URL('../../../plugins/', import.meta.url));

export function newCatalog(): PluginCatalog {
  return new PluginCatalog(evaluatePluginModule);
}

/** The text of a shipped plugin, e.g. shipped('wacky.js'). */
export function shipped(name: string): string {
  return readFileSync(PLUGINS_DIR + name, 'utf8');
}

/** Load one file into a fresh catalog. */
export async function loadOne(
  file: string,
  source: string,
): Promise<{ catalog: PluginCatalog; status: PluginStatus }> {
  const catalog = newCatalog();
  return { catalog, status: await catalog.load(file, source) };
}

/** The message of a file that did not load (fails the test when it loaded). */
export function brokenMessage(status: PluginStatus): string {
  if (status.ok) throw new Error(`${status.file} loaded, but it should be broken`);
  return status.error!.message;
}

/**
 * x[2] → fc1 Dense(hidden) → <layer> → fc2 Dense(1) → y Sigmoid, BCE on builtin xor, with
 * `layer` as the plugin node (id 'p' unless given); more nodes can replace the middle.
 */
export function pluginMlp(layer: Partial<NodeSpec> & { type: string }, hidden = 4): NodeSpec[] {
  return [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc1', type: 'Dense', params: { units: hidden }, inputs: ['x'] },
    { id: 'p', inputs: ['fc1'], ...layer },
    { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: [layer.id ?? 'p'] },
    { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
  ];
}

/** Compile and prepare a project of `nodes` (makeProject's xor data, SGD, batch 16). */
export function prepare(
  registry: LayerRegistry,
  nodes: NodeSpec[],
  o: { epochs?: number; project?: Partial<ProjectInput> } = {},
): Prepared {
  const project = makeProject(nodes, o.project);
  if (o.epochs !== undefined) project.training = { ...project.training, epochs: o.epochs };
  return prepareTraining(parseProject(project), { host: nodeHost, registry });
}

/** Run steps until the trainer fails, and return what it threw (fails the test if it does not). */
export function firstError(prepared: Prepared, steps = 4): unknown {
  try {
    for (let i = 0; i < steps; i++) prepared.trainer.step();
  } catch (e) {
    return e;
  }
  throw new Error(`training ran ${steps} steps without an error`);
}
