/**
 * Readable JSON weights: the same tensors as a safetensors file, as numbers a person can read,
 * diff and edit. One tensor per line; values are the shortest text that reads back as the same
 * float32, so a file round-trips bit for bit.
 *
 * {
 *   "format": "backprop-lab.weights-json",
 *   "version": 1,
 *   "project": { … },
 *   "normalization": { "kind": "standardize", "offset": [ … ], "scale": [ … ] },
 *   "tensors": {
 *     "fc1.weight": { "shape": [8, 2], "data": [0.5, -0.25, …] }
 *   }
 * }
 *
 * `normalization` is there when the project normalizes its inputs: the statistics the network
 * was trained with (see core/data/normalize.ts).
 */
import { type Normalization, normalizationJson, readNormalization } from '../data/normalize';
import { LabError } from '../util/errors';
import { float32ToText } from './float32-text';
import {
  formatShape,
  isValidShape,
  shapeSize,
  sortedNames,
  type NamedTensor,
  type NamedTensors,
} from './named-tensors';
import { describeJson, isPlainObject } from './json-values';

export const WEIGHTS_JSON_FORMAT = 'backprop-lab.weights-json';
export const WEIGHTS_JSON_VERSION = 1;

export interface WeightsJsonContents {
  tensors: NamedTensors;
  project?: unknown;
  normalization?: Normalization;
}

export function writeWeightsJson(
  tensors: NamedTensors,
  project: unknown,
  normalization?: Normalization | null,
): string {
  const lines = [
    '{',
    `  "format": ${JSON.stringify(WEIGHTS_JSON_FORMAT)},`,
    `  "version": ${WEIGHTS_JSON_VERSION},`,
  ];
  if (project !== undefined) {
    const projectText = JSON.stringify(project, null, 2).replaceAll('\n', '\n  ');
    lines.push(`  "project": ${projectText},`);
  }
  if (normalization) lines.push(`  "normalization": ${normalizationJson(normalization)},`);
  const names = sortedNames(tensors);
  const rows = names.map((name) => `    ${JSON.stringify(name)}: ${tensorText(name, tensors)}`);
  if (rows.length === 0) lines.push('  "tensors": {}');
  else lines.push('  "tensors": {', rows.join(',\n'), '  }');
  lines.push('}', '');
  return lines.join('\n');
}

function tensorText(name: string, tensors: NamedTensors): string {
  const { shape, data } = tensors[name];
  if (!isValidShape(shape) || shapeSize(shape) !== data.length) {
    throw new LabError(
      'WEIGHTS',
      `tensor "${name}": shape ${JSON.stringify(shape)} does not fit its ${data.length} values`,
      { tensor: name },
    );
  }
  const values: string[] = [];
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new LabError(
        'NON_FINITE',
        `tensor "${name}": value ${i} is ${data[i]}, which JSON cannot hold; export .safetensors instead`,
        { tensor: name },
      );
    }
    values.push(float32ToText(data[i]));
  }
  return `{ "shape": [${shape.join(', ')}], "data": [${values.join(', ')}] }`;
}

function fail(message: string, path?: string): never {
  throw new LabError('WEIGHTS', message, path === undefined ? {} : { path });
}

/** Reads JSON weights; every problem in the tensors is listed in the error's `problems`. */
export function readWeightsJson(text: string): WeightsJsonContents {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`weights JSON is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(json)) fail(`weights JSON must be an object, found ${describeJson(json)}`);
  if (json.format !== WEIGHTS_JSON_FORMAT) {
    fail(
      `weights JSON must have "format": "${WEIGHTS_JSON_FORMAT}", found ${describeJson(json.format)}`,
      'format',
    );
  }
  if (json.version !== WEIGHTS_JSON_VERSION) {
    fail(
      `weights JSON version ${describeJson(json.version)} is not supported; ` +
        `this Backprop Lab reads version ${WEIGHTS_JSON_VERSION}`,
      'version',
    );
  }
  if (!isPlainObject(json.tensors)) {
    fail(
      `weights JSON "tensors" must be an object, found ${describeJson(json.tensors)}`,
      'tensors',
    );
  }
  const problems: string[] = [];
  const entries: [string, NamedTensor][] = [];
  for (const [name, value] of Object.entries(json.tensors)) {
    const tensorProblems = checkTensor(name, value);
    problems.push(...tensorProblems);
    if (tensorProblems.length > 0) continue;
    const { shape, data } = value as { shape: number[]; data: number[] };
    entries.push([name, { shape: [...shape], data: Float32Array.from(data) }]);
  }
  if (problems.length > 0) {
    const summary =
      problems.length === 1
        ? problems[0]
        : `weights JSON has ${problems.length} problems; the first: ${problems[0]}`;
    throw new LabError('WEIGHTS', summary, {}, problems);
  }
  const out: WeightsJsonContents = { tensors: Object.fromEntries(entries) };
  if (Object.hasOwn(json, 'project')) out.project = json.project;
  if (Object.hasOwn(json, 'normalization')) {
    out.normalization = readNormalization(json.normalization, 'normalization');
  }
  return out;
}

function checkTensor(name: string, value: unknown): string[] {
  const at = `tensor "${name}"`;
  if (!isPlainObject(value)) {
    return [`${at}: must be an object with "shape" and "data", found ${describeJson(value)}`];
  }
  const { shape, data } = value;
  const problems: string[] = [];
  if (!isValidShape(shape)) {
    problems.push(
      `${at}: "shape" must be an array of non-negative integers, found ${describeShapeValue(shape)}`,
    );
  }
  if (!Array.isArray(data)) {
    problems.push(`${at}: "data" must be an array of numbers, found ${describeJson(data)}`);
    return problems;
  }
  const notNumbers = data.flatMap((v, i) => (typeof v === 'number' ? [] : [i]));
  if (notNumbers.length > 0) {
    const first = notNumbers[0];
    const more =
      notNumbers.length > 1 ? ` (${notNumbers.length} values in all are not numbers)` : '';
    problems.push(`${at}: data[${first}] is ${describeJson(data[first])}, not a number${more}`);
  }
  const tooLarge = data.findIndex((v) => typeof v === 'number' && !Number.isFinite(Math.fround(v)));
  if (tooLarge >= 0) {
    problems.push(`${at}: data[${tooLarge}] = ${data[tooLarge]} is too large for a 32-bit float`);
  }
  if (isValidShape(shape) && shapeSize(shape) !== data.length) {
    problems.push(
      `${at}: shape ${formatShape(shape)} needs ${shapeSize(shape)} values, data has ${data.length}`,
    );
  }
  return problems;
}

function describeShapeValue(shape: unknown): string {
  return Array.isArray(shape) ? JSON.stringify(shape) : describeJson(shape);
}
