import { readFileSync } from 'node:fs';
import {
  exportFormatForFile,
  exportFormats,
  exportModel,
  type ExportFormat,
  type ExportInput,
} from '../core/export';
import { LabError } from '../core/util/errors';
import { inFile } from './errors';
import { isFolderTarget } from './training-folder';
import { writeOutput } from './weights-files';

const SUPPORTED = exportFormats.map((f) => f.extension).join(', ');

/** The format an --export/--out file name asks for; anything else is a usage error naming it. */
export function exportFormatOf(file: string, option: string): ExportFormat {
  if (isFolderTarget(file)) {
    throw new LabError(
      'USAGE',
      `${file}: --${option}: a folder is not a file (supported: ${SUPPORTED}); a PyTorch training folder is written by 'backprop-lab export PROJECT --out DIR/'`,
      { file },
    );
  }
  const format = exportFormatForFile(file);
  if (format) return format;
  const ext = /\.[^./\\]+$/.exec(file)?.[0];
  const what = ext ? `${ext.toLowerCase()} files are` : 'a file without an extension is';
  throw new LabError(
    'USAGE',
    `${file}: --${option}: ${what} not supported (supported: ${SUPPORTED})`,
    {
      file,
    },
  );
}

/** Each file's contents, in order, or the LabError (naming the file) of the first that fails. */
export async function renderExports(
  files: string[],
  input: ExportInput,
): Promise<(Uint8Array | string)[]> {
  const withVersion = { producerVersion: cliVersion(), ...input };
  const out: (Uint8Array | string)[] = [];
  for (const file of files) {
    out.push(await inFile(file, () => exportModel(exportFormatOf(file, 'export').id, withVersion)));
  }
  return out;
}

/**
 * Write every export (format by extension), creating folders as needed. Nothing is written
 * unless every file can be made: a plugin without an ONNX mapping leaves no half-done set.
 */
export async function writeExports(files: string[], input: ExportInput): Promise<void> {
  const contents = await renderExports(files, input);
  files.forEach((file, i) => writeOutput(file, contents[i], 'export'));
}

/** A note for a .py export with no .safetensors beside it: the module's load() needs one. */
export function pythonWeightsNote(files: string[]): string | undefined {
  const py = files.find((f) => exportFormatOf(f, 'export').id === 'py');
  const hasWeights = files.some((f) => exportFormatOf(f, 'export').id === 'safetensors');
  if (py === undefined || hasWeights) return undefined;
  return `note: ${py} loads its weights with load('….safetensors'): export a .safetensors file too\n`;
}

// The same version `backprop-lab --version` prints (recorded as the ONNX producer_version).
function cliVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
