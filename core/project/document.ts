// A project file as a whole: the project (versions 1 and 2 read the same) and, in version 2, the
// training saved with it. A broken or mismatched `trained` section never stops the project from
// opening: it comes back as `trainedError`, naming the field, next to the project.
import { LATEST_VERSION, parseJsonText, parseProject } from '../graph/parse';
import type { Project, ProjectInput } from '../graph/schema';
import type { TrainerState } from '../train/trainer-state';
import { LabError } from '../util/errors';
import { decodeTrained, TRAINED_KEY } from './trained-section';

/** A project file without saved training: readable by every version of the app. */
export const PLAIN_VERSION = 1;
/** A project file with a `trained` section. */
export const TRAINED_VERSION = LATEST_VERSION;

export interface ProjectDocument {
  project: Project;
  /** The saved training, checked for its structure (restoreTrainer checks that it fits). */
  trained: TrainerState | null;
  /** Why the file's `trained` section cannot be used (the project opens without it). */
  trainedError: LabError | null;
}

/**
 * Read a project file's value: the project, validated as parseProject does (its problems
 * throw), and its training, if it has one.
 *
 * @example const { project, trained } = parseProjectDocument(JSON.parse(text), 'xor.json');
 */
export function parseProjectDocument(value: unknown, file?: string): ProjectDocument {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, TRAINED_KEY)) {
    return { project: parseProject(value, file), trained: null, trainedError: null };
  }
  const { [TRAINED_KEY]: section, ...rest } = value as Record<string, unknown>;
  const project = parseProject(rest, file);
  const where = file ? `${file}: ` : '';
  const version = (rest as { version?: unknown }).version;
  if (version !== TRAINED_VERSION) {
    const message = `${TRAINED_KEY}: a project with its training is format version ${TRAINED_VERSION}, but the file says version ${JSON.stringify(version)}`;
    return {
      project,
      trained: null,
      trainedError: new LabError('TRAINED', `${where}${message}`, { path: 'version', file }),
    };
  }
  try {
    return { project, trained: decodeTrained(section), trainedError: null };
  } catch (e) {
    if (!(e instanceof LabError)) throw e;
    const err = new LabError('TRAINED', `${where}${e.message}`, { ...e.place, file }, e.problems);
    return { project, trained: null, trainedError: err };
  }
}

/** parseProjectDocument on a file's text; JSON syntax errors come with line and column. */
export function parseProjectDocumentText(text: string, file?: string): ProjectDocument {
  return parseProjectDocument(parseJsonText(text, file), file);
}

/**
 * The text of a project file: the project as it is (indented like every project file), with
 * the training after it when there is some to keep (then version 2, else version 1).
 *
 * @param trained the `trained` section as trainedText writes it, or null
 * @example projectDocumentText(project, trainedText(snapshotTrainer(trainer)))
 */
export function projectDocumentText(project: ProjectInput, trained: string | null): string {
  const plain: Record<string, unknown> = { ...project };
  delete plain[TRAINED_KEY];
  const head = JSON.stringify(
    { ...plain, version: trained ? TRAINED_VERSION : PLAIN_VERSION },
    null,
    2,
  );
  if (!trained) return `${head}\n`;
  return `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "${TRAINED_KEY}": ${trained}\n}\n`;
}
