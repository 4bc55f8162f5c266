// Files the user picks or writes through dialogs: exports (weights, code, a PyTorch training
// folder), weights to load, CSV data.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../../core/util/errors';
import { fsReason, writeFileAtomic } from '../fs-util';
import { pickFile, pickSavePath, type MainContext } from './context';
import type { HandlerTable } from './handle';
import { fileName, noArgs } from './schemas';

const KIND_BY_EXTENSION: Record<string, string> = {
  safetensors: 'Weights (safetensors)',
  json: 'JSON',
  onnx: 'ONNX model',
  py: 'Python',
  csv: 'CSV',
};

const ALL_FILES = { name: 'All files', extensions: ['*'] };

/** An exported file's contents. */
const exportData = z.union([z.instanceof(Uint8Array), z.string()], {
  error: 'expected a Uint8Array or a string',
});

/** A file in an exported folder: a plain name, never `.`, `..` or hidden. */
const folderFileName = fileName.refine(
  (s) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(s),
  'expected a plain file name (letters, digits, ., _ and -, not starting with .)',
);

/** A training folder has eight files; a few more leave room without allowing a flood. */
const MAX_FOLDER_FILES = 32;

export function fileHandlers(
  ctx: MainContext,
): HandlerTable<'export:save' | 'export:folder' | 'weights:open' | 'data:openCsv'> {
  const read = async <T>(path: string, how: (p: string) => Promise<T>): Promise<T> => {
    try {
      return await how(path);
    } catch (e) {
      throw new LabError('USAGE', `Could not read ${path}: ${fsReason(e)}.`, { file: path });
    }
  };
  return {
    'export:save': {
      args: z.tuple([
        z.object({
          suggestedName: fileName,
          data: exportData,
        }),
      ]),
      async run({ suggestedName, data }) {
        const ext = extname(suggestedName).slice(1).toLowerCase();
        const path = await pickSavePath(ctx, {
          title: 'Export',
          defaultPath: join(ctx.documentsDir, suggestedName),
          filters: ext
            ? [{ name: KIND_BY_EXTENSION[ext] ?? `.${ext} file`, extensions: [ext] }, ALL_FILES]
            : [ALL_FILES],
        });
        if (path === null) return null;
        try {
          await writeFileAtomic(path, data);
        } catch (e) {
          throw new LabError('USAGE', `Could not write ${path}: ${fsReason(e)}.`, { file: path });
        }
        return { path };
      },
    },
    'export:folder': {
      args: z.tuple([
        z.object({
          suggestedName: fileName,
          files: z
            .array(z.object({ name: folderFileName, data: exportData }))
            .min(1)
            .max(MAX_FOLDER_FILES)
            .refine(
              (files) => new Set(files.map((f) => f.name)).size === files.length,
              'expected each file name once',
            ),
        }),
      ]),
      async run({ suggestedName, files }) {
        const dir = await pickSavePath(ctx, {
          title: 'Export PyTorch training folder',
          defaultPath: join(ctx.documentsDir, suggestedName),
          buttonLabel: 'Create folder',
          filters: [ALL_FILES],
        });
        if (dir === null) return null;
        const existing = await stat(dir).catch(() => null);
        if (existing && !existing.isDirectory()) {
          throw new LabError('USAGE', `Could not create the folder ${dir}: a file has that name.`, {
            file: dir,
          });
        }
        // Into the folder (made if need be), file by file through a temporary file and a
        // rename: an interrupted export never leaves half a file.
        for (const f of files) {
          const path = join(dir, f.name);
          try {
            await mkdir(dir, { recursive: true });
            await writeFileAtomic(path, f.data);
          } catch (e) {
            throw new LabError('USAGE', `Could not write ${path}: ${fsReason(e)}.`, {
              file: path,
            });
          }
        }
        return { path: dir };
      },
    },
    'weights:open': {
      args: noArgs,
      async run() {
        const path = await pickFile(ctx, {
          title: 'Import weights',
          defaultPath: ctx.documentsDir,
          filters: [{ name: 'Weights', extensions: ['safetensors', 'json'] }, ALL_FILES],
        });
        if (path === null) return null;
        const bytes = await read(path, (p) => readFile(p));
        // A plain Uint8Array: a Buffer may share a pooled ArrayBuffer with other data.
        return { path, name: basename(path), bytes: new Uint8Array(bytes) };
      },
    },
    'data:openCsv': {
      args: noArgs,
      async run() {
        const path = await pickFile(ctx, {
          title: 'Open CSV data',
          defaultPath: ctx.documentsDir,
          filters: [{ name: 'CSV', extensions: ['csv', 'tsv', 'txt'] }, ALL_FILES],
        });
        if (path === null) return null;
        const text = await read(path, (p) => readFile(p, 'utf8'));
        return { path, name: basename(path), text };
      },
    },
  };
}
