/**
 * The `__metadata__` Backprop Lab puts in a safetensors file, so that a weights file explains
 * itself: which format it is, the project graph the weights belong to and, when the project
 * normalizes its inputs, the statistics the network was trained with.
 */
import { type Normalization, normalizationJson, readNormalization } from '../data/normalize';
import { LabError } from '../util/errors';

export const WEIGHTS_FORMAT = 'backprop-lab.weights';
export const WEIGHTS_VERSION = '1';

/**
 * `{ format, version, project, normalization }`; `project` is left out when there is none
 * (undefined), `normalization` when the inputs are not normalized (null or undefined).
 */
export function makeWeightsMetadata(
  project: unknown,
  normalization?: Normalization | null,
): Record<string, string> {
  const meta: Record<string, string> = { format: WEIGHTS_FORMAT, version: WEIGHTS_VERSION };
  if (project !== undefined) meta.project = JSON.stringify(project);
  if (normalization) meta.normalization = normalizationJson(normalization);
  return meta;
}

/**
 * The project stored in a weights file's metadata, when there is one. Files written by other
 * tools (no metadata, or another `format`) are fine: they simply carry no project.
 */
export function parseWeightsMetadata(meta: Record<string, string>): {
  project?: unknown;
  normalization?: Normalization;
} {
  if (meta.format !== WEIGHTS_FORMAT) return {};
  if (meta.version !== WEIGHTS_VERSION) {
    throw new LabError(
      'WEIGHTS',
      `weights file has ${WEIGHTS_FORMAT} version ${JSON.stringify(meta.version)}; ` +
        `this Backprop Lab reads version ${WEIGHTS_VERSION}`,
      { path: '__metadata__.version' },
    );
  }
  const out: { project?: unknown; normalization?: Normalization } = {};
  if (typeof meta.project === 'string') out.project = parseJson(meta.project, 'project');
  if (typeof meta.normalization === 'string') {
    out.normalization = readNormalization(
      parseJson(meta.normalization, 'normalization'),
      '__metadata__.normalization',
    );
  }
  return out;
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LabError(
      'SAFETENSORS',
      `weights file metadata "${key}" is not valid JSON: ${(e as Error).message}`,
      { path: `__metadata__.${key}` },
    );
  }
}
