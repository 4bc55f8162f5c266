import type { Project } from '../core/graph/schema';
import { type ProjectDocument, parseProjectDocumentText } from '../core/project/document';
import { type Prepared, prepareTraining } from '../core/project/prepare';
import { inFile } from './errors';
import { nodeHost, readUserText } from './host';
import { type NamedFile, projectInputs, refuseOverwritingInputs } from './outputs';
import { loadRegistry, pluginFiles } from './plugins';
import { resumeTrainer } from './trained-project';

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
  /** Continue the training saved in the file (its `trained` section) instead of starting anew. */
  resume?: boolean;
}

export interface OpenedProject {
  /** The project as trained now (with --epochs and --seed applied). */
  project: Project;
  /** The file as read: the project as written, and its saved training if any. */
  document: ProjectDocument;
  prepared: Prepared;
}

/**
 * Read, validate and compile a project file, load its plugins and its data, and build the
 * trainer (continuing the file's saved training with `resume`). Every problem is a LabError
 * whose message names the project file.
 *
 * @example const { prepared } = await openProject({ file: 'examples/xor.json', epochs: 10 });
 */
export async function openProject(o: OpenOptions): Promise<OpenedProject> {
  const text = readUserText(o.file, 'project');
  const document = parseProjectDocumentText(text, o.file);
  const parsed = document.project;
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
  if (o.resume) await resumeTrainer(prepared.trainer, document, o.file);
  return { project, document, prepared };
}
