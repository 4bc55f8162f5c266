import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataHost } from '../core/data/resolve';
import { LabError } from '../core/util/errors';
import { describeFsError } from './errors';
import { checkFileSize } from './memory-budget';

/** The repository's data/ folder, found from this file so it works from any working directory. */
export const DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

/**
 * Files for core's data loading on Node: shipped data sets from data/, the user's CSV files
 * relative to the project file's folder.
 *
 * @example prepareTraining(project, { host: nodeHost('examples/xor.json') })
 */
export function nodeHost(projectFile: string): DataHost {
  const base = dirname(resolve(projectFile));
  return {
    readDataFile(name) {
      try {
        return readFileSync(resolve(DATA_DIR, name), 'utf8');
      } catch (e) {
        throw new LabError(
          'DATA',
          `cannot read the built-in data file ${name} (${describeFsError(e)} in ${DATA_DIR})`,
          { file: name },
        );
      }
    },
    readUserFile(path) {
      const full = isAbsolute(path) ? path : resolve(base, path);
      checkFileSize(full, 'data file');
      try {
        return readFileSync(full, 'utf8');
      } catch (e) {
        throw new LabError(
          'DATA',
          `${projectFile}: data.source: cannot read ${path}: ${describeFsError(e)} (looked at ${full})`,
          { file: path, path: 'data.source' },
        );
      }
    },
  };
}

/** Read a file the user named on the command line; a failure is bad input naming the file. */
export function readUserText(file: string, what: string): string {
  checkFileSize(file, what);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new LabError('USAGE', `${file}: cannot read the ${what}: ${describeFsError(e)}`, {
      file,
    });
  }
}

export function readUserBytes(file: string, what: string): Uint8Array {
  checkFileSize(file, what);
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new LabError('USAGE', `${file}: cannot read the ${what}: ${describeFsError(e)}`, {
      file,
    });
  }
}
