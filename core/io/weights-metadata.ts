/**
 * The `__metadata__` Backprop Lab puts in a safetensors file, so that a weights file explains
 * itself: which format it is and the project graph the weights belong to.
 */
import { LabError } from '../util/errors';

export const WEIGHTS_FORMAT = 'backprop-lab.weights';
export const WEIGHTS_VERSION = '1';

/** `{ format, version, project }`; `project` is left out when there is none (undefined). */
export function makeWeightsMetadata(project: unknown): Record<string, string> {
  const meta: Record<string, string> = { format: WEIGHTS_FORMAT, version: WEIGHTS_VERSION };
  if (project !== undefined) meta.project = JSON.stringify(project);
  return meta;
}

/**
 * The project stored in a weights file's metadata, when there is one. Files written by other
 * tools (no metadata, or another `format`) are fine: they simply carry no project.
 */
export function parseWeightsMetadata(meta: Record<string, string>): { project?: unknown } {
  if (meta.format !== WEIGHTS_FORMAT) return {};
  if (meta.version !== WEIGHTS_VERSION) {
    throw new LabError(
      'WEIGHTS',
      `weights file has ${WEIGHTS_FORMAT} version ${JSON.stringify(meta.version)}; ` +
        `this Backprop Lab reads version ${WEIGHTS_VERSION}`,
      { path: '__metadata__.version' },
    );
  }
  if (typeof meta.project !== 'string') return {};
  try {
    return { project: JSON.parse(meta.project) };
  } catch (e) {
    throw new LabError(
      'SAFETENSORS',
      `weights file metadata "project" is not valid JSON: ${(e as Error).message}`,
      { path: '__metadata__.project' },
    );
  }
}
