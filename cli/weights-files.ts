import { extname } from 'node:path';
import type { Normalization } from '../core/data/normalize';
import { matchWeights } from '../core/io/match-weights';
import type { NamedTensors } from '../core/io/named-tensors';
import { readSafetensors } from '../core/io/safetensors';
import { readWeightsJson } from '../core/io/weights-json';
import { parseWeightsMetadata } from '../core/io/weights-metadata';
import type { Model } from '../core/model/model';
import { LabError } from '../core/util/errors';
import { describeFsError, inFile } from './errors';
import { readUserBytes, readUserText } from './host';
import { writeFileAtomic } from '../node/atomic-write';

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

/** Write one of a command's outputs, atomically (node/atomic-write.ts); a failure names the file. */
export function writeOutput(file: string, content: Uint8Array | string, what: string): void {
  try {
    writeFileAtomic(file, content);
  } catch (e) {
    throw new LabError('USAGE', `${file}: cannot write the ${what}: ${describeFsError(e)}`, {
      file,
    });
  }
}

/** A weights file's tensors and the input normalization they were trained with, if any. */
export interface WeightsFile {
  tensors: NamedTensors;
  normalization: Normalization | null;
}

/** Read a weights file (.safetensors or .json) for --init, --weights. */
export async function readWeightsFile(file: string, option = 'init'): Promise<WeightsFile> {
  const format = weightsFormatOf(file, option);
  return inFile(file, () => {
    if (format === 'json') {
      const w = readWeightsJson(readUserText(file, 'weights'));
      return { tensors: w.tensors, normalization: w.normalization ?? null };
    }
    const st = readSafetensors(readUserBytes(file, 'weights'));
    return {
      tensors: st.tensors,
      normalization: parseWeightsMetadata(st.metadata).normalization ?? null,
    };
  });
}

/** Check names and shapes against the model (listing every mismatch), then load them. */
export async function initWeights(model: Model, file: string): Promise<void> {
  const { tensors } = await readWeightsFile(file);
  await inFile(file, () => matchWeights(model.weightShapes(), tensors));
  model.importWeights(tensors);
}
