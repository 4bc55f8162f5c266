import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { matchWeights } from '../core/io/match-weights';
import type { NamedTensors } from '../core/io/named-tensors';
import { readSafetensors } from '../core/io/safetensors';
import { readWeightsJson } from '../core/io/weights-json';
import type { Model } from '../core/model/model';
import { LabError } from '../core/util/errors';
import { describeFsError, inFile } from './errors';
import { readUserBytes, readUserText } from './host';

export type WeightsFormat = 'safetensors' | 'json';

const SUPPORTED = 'supported: .safetensors, .json';

/** The format a weights file name asks for; anything else is a usage error naming the file. */
export function weightsFormatOf(file: string, option: string): WeightsFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.safetensors') return 'safetensors';
  if (ext === '.json') return 'json';
  const what = ext ? `${ext} files are` : 'a file without an extension is';
  throw new LabError('USAGE', `${file}: --${option}: ${what} not supported yet (${SUPPORTED})`, {
    file,
  });
}

export function writeOutput(file: string, content: Uint8Array | string, what: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  } catch (e) {
    throw new LabError('USAGE', `${file}: cannot write the ${what}: ${describeFsError(e)}`, {
      file,
    });
  }
}

/** Read a weights file (.safetensors or .json) for --init. */
export async function readWeightsFile(file: string): Promise<NamedTensors> {
  const format = weightsFormatOf(file, 'init');
  return inFile(file, () =>
    format === 'safetensors'
      ? readSafetensors(readUserBytes(file, 'weights')).tensors
      : readWeightsJson(readUserText(file, 'weights')).tensors,
  );
}

/** Check names and shapes against the model (listing every mismatch), then load them. */
export async function initWeights(model: Model, file: string): Promise<void> {
  const tensors = await readWeightsFile(file);
  await inFile(file, () => matchWeights(model.weightShapes(), tensors));
  model.importWeights(tensors);
}
