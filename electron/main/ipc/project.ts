// Projects on disk: Open (a project, or an ONNX model to import), Open Recent, Save, Save As. The renderer may write without a dialog
// only to a file the user chose (in a dialog, now or in an earlier session via the recent list),
// and only once it has been read as a project: a file that is not one (a picture opened with
// "All files", a broken project) is handed over for the renderer to list its problems, but it
// is neither writable nor in Recent.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { app } from 'electron';
import { z } from 'zod';
import { parseProjectDocumentText } from '../../../core/project/document';
import { LabError } from '../../../core/util/errors';
import type { BinaryFile, TextFile } from '../../ipc/channels';
import { fsReason, writeFileAtomic } from '../fs-util';
import { pickFile, pickSavePath, type MainContext } from './context';
import type { HandlerTable } from './handle';
import { MAX_TEXT, fileName, noArgs } from './schemas';

type ProjectChannels = 'project:open' | 'project:openPath' | 'project:save' | 'project:recent';

const PROJECT_FILTERS = [
  { name: 'Backprop Lab project or ONNX model', extensions: ['json', 'onnx'] },
  { name: 'Backprop Lab project', extensions: ['json'] },
  { name: 'ONNX model', extensions: ['onnx'] },
  { name: 'All files', extensions: ['*'] },
];

export function projectHandlers(ctx: MainContext): HandlerTable<ProjectChannels> {
  const chosen = new Set<string>();
  const mayWrite = (path: string) => chosen.has(resolve(path)) || ctx.recent.has(path);
  const remember = (path: string) => {
    chosen.add(resolve(path));
    ctx.recent.add(path);
    app.addRecentDocument(path);
  };
  const forget = (path: string) => {
    chosen.delete(resolve(path));
    ctx.recent.remove(path);
  };
  const open = async (path: string): Promise<TextFile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new LabError('USAGE', `Could not open ${path}: ${fsReason(e)}.`, { file: path });
    }
    // The same reading the renderer does (JSON, then the project's schema), before any grant.
    if (isProjectText(text, path)) remember(path);
    else forget(path);
    return { path, name: basename(path), text };
  };

  // A model is imported into a new project: it is neither remembered nor ever written to.
  const openModel = async (path: string): Promise<BinaryFile> => {
    try {
      return { path, name: basename(path), bytes: new Uint8Array(await readFile(path)) };
    } catch (e) {
      throw new LabError('USAGE', `Could not open ${path}: ${fsReason(e)}.`, { file: path });
    }
  };

  return {
    'project:open': {
      args: noArgs,
      async run() {
        const path = await pickFile(ctx, {
          title: 'Open project',
          defaultPath: ctx.documentsDir,
          filters: PROJECT_FILTERS,
        });
        if (path === null) return null;
        return extname(path).toLowerCase() === '.onnx' ? openModel(path) : open(path);
      },
    },
    'project:openPath': {
      args: z.tuple([z.string().refine(isAbsolute, 'expected an absolute path')]),
      async run(path) {
        if (!ctx.recent.has(path)) {
          throw new LabError(
            'USAGE',
            `${path} is not a recent project; open it with File ▸ Open….`,
            {
              file: path,
            },
          );
        }
        try {
          return await open(path);
        } catch (e) {
          ctx.recent.remove(path); // moved or deleted: do not offer it again
          throw e;
        }
      },
    },
    'project:save': {
      args: z.tuple([
        z.object({
          path: z.string().min(1).nullable(),
          text: z.string().max(MAX_TEXT),
          saveAs: z.boolean(),
          suggestedName: fileName,
        }),
      ]),
      async run({ path, text, saveAs, suggestedName }) {
        let target = path !== null && !saveAs && mayWrite(path) ? path : null;
        if (target === null) {
          const name = withExtension(basename(suggestedName), '.json');
          target = await pickSavePath(ctx, {
            title: saveAs ? 'Save project as' : 'Save project',
            defaultPath: join(path ? dirname(path) : ctx.documentsDir, name),
            filters: PROJECT_FILTERS,
          });
          if (target === null) return null;
          target = withExtension(target, '.json');
        }
        try {
          await writeFileAtomic(target, text);
        } catch (e) {
          throw new LabError('USAGE', `Could not save ${target}: ${fsReason(e)}.`, {
            file: target,
          });
        }
        remember(target);
        return { path: target, name: basename(target) };
      },
    },
    'project:recent': {
      args: noArgs,
      run: () => ctx.recent.list(),
    },
  };
}

/** True when the text reads as a project file (its saved training may still be unusable). */
function isProjectText(text: string, path: string): boolean {
  try {
    parseProjectDocumentText(text, basename(path));
    return true;
  } catch (e) {
    if (e instanceof LabError) return false;
    throw e;
  }
}

/** GTK's save dialog does not add the extension of the chosen filter. */
function withExtension(path: string, ext: string): string {
  return extname(path) === '' ? `${path}${ext}` : path;
}
