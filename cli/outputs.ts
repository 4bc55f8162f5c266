// What a command writes is never what it reads: an output path that names one of its inputs
// (the project, its data, a plugin, the weights) or another output is refused before any work.
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Project } from '../core/graph/schema';
import { LabError } from '../core/util/errors';
import type { PluginFile } from './plugins';

/** A file a command reads or writes, and how the user named it ("the project", "--export"). */
export interface NamedFile {
  file: string;
  what: string;
}

/**
 * Throws a usage error when an output is one of the inputs or another output: the same path, a
 * symbolic or hard link to it, or the same file reached through another folder name.
 *
 * @example refuseOverwritingInputs([{ file: 'p.json', what: '--export' }], [{ file: 'p.json', what: 'the project' }]);
 */
export function refuseOverwritingInputs(outputs: NamedFile[], inputs: NamedFile[]): void {
  const seen = inputs.map((f) => ({ ...f, id: identity(f.file), input: true }));
  for (const out of outputs) {
    const id = identity(out.file);
    const same = seen.find((f) => f.id === id);
    if (same) {
      const named = resolve(same.file) === resolve(out.file) ? '' : ` (${same.file})`;
      const why = same.input
        ? 'an output must not be one of the files the command reads'
        : 'give each output a file of its own';
      throw new LabError(
        'USAGE',
        `${out.file}: ${out.what} would overwrite ${same.what}${named}; ${why}`,
        {
          file: out.file,
        },
      );
    }
    seen.push({ ...out, id, input: false });
  }
}

/** The files a command reads for a project: the project, its CSV data, its plugin files. */
export function projectInputs(
  project: Project,
  projectFile: string,
  plugins: PluginFile[],
): NamedFile[] {
  const files: NamedFile[] = [{ file: projectFile, what: 'the project' }];
  const source = project.data.source;
  if (typeof source === 'string' && source.startsWith('csv:')) {
    const path = source.slice('csv:'.length);
    const full = isAbsolute(path) ? path : resolve(dirname(resolve(projectFile)), path);
    files.push({ file: full, what: "the project's data" });
  }
  for (const p of plugins) files.push({ file: p.path, what: `the plugin ${p.label}` });
  return files;
}

/**
 * The same file, however it is named: device and inode when it exists, else the real path of
 * its folder and its name.
 */
function identity(file: string): string {
  const full = resolve(file);
  try {
    const s = statSync(full);
    return `inode:${s.dev}:${s.ino}`;
  } catch {
    try {
      return `path:${join(realpathSync(dirname(full)), basename(full))}`;
    } catch {
      return `path:${full}`;
    }
  }
}
