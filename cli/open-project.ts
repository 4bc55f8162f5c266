import { parseProjectText } from '../core/graph/parse';
import type { Project } from '../core/graph/schema';
import { type Prepared, prepareTraining } from '../core/project/prepare';
import { inFile } from './errors';
import { nodeHost, readUserText } from './host';
import { type NamedFile, projectInputs, refuseOverwritingInputs } from './outputs';
import { loadRegistry, pluginFiles } from './plugins';

export interface OpenOptions {
  file: string;
  epochs?: number;
  seed?: number;
  /** --plugin files, relative to the working directory. */
  plugins?: string[];
  /** --allow-plugin files: the project may load these from outside its folder. */
  allowPlugins?: string[];
  /** What the command will write: refused when one is an input, before any plugin runs. */
  outputs?: NamedFile[];
  /** Inputs besides the project's own files (--init). */
  inputs?: NamedFile[];
}

export interface OpenedProject {
  project: Project;
  prepared: Prepared;
}

/**
 * Read, validate and compile a project file, load its plugins and its data, and build the
 * trainer. Every problem is a LabError whose message names the project file.
 *
 * @example const { prepared } = await openProject({ file: 'examples/xor.json', epochs: 10 });
 */
export async function openProject(o: OpenOptions): Promise<OpenedProject> {
  const text = readUserText(o.file, 'project');
  const parsed = parseProjectFile(text, o.file);
  const project: Project = {
    ...parsed,
    training: {
      ...parsed.training,
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
    },
  };
  const plugins = pluginFiles(project, o.file, o.plugins ?? [], o.allowPlugins ?? []);
  refuseOverwritingInputs(o.outputs ?? [], [
    ...projectInputs(project, o.file, plugins),
    ...(o.inputs ?? []),
  ]);
  const registry = await loadRegistry(plugins);
  const prepared = await inFile(o.file, () =>
    prepareTraining(project, { host: nodeHost(o.file), registry }),
  );
  return { project, prepared };
}

/** parseProjectText (kept as the command line's name for it). */
export function parseProjectFile(text: string, file: string): Project {
  return parseProjectText(text, file);
}
