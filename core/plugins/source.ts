import { transform } from 'sucrase';
import { LabError } from '../util/errors';

/**
 * Turn a plugin file's text into plain JavaScript: TypeScript types are stripped from `.ts`
 * files, and a syntax error in either kind is reported with the file, line and column.
 *
 * @example const js = pluginSourceToJs(text, 'wacky.ts');
 */
export function pluginSourceToJs(source: string, file: string): string {
  const ts = /\.(ts|mts)$/i.test(file);
  try {
    return transform(source, {
      transforms: ts ? ['typescript'] : [],
      filePath: file,
      disableESTransforms: true,
      // An import used only in types (`import { LayerDefinition } from './api'`) is removed, as
      // tsc removes it; any other import is kept and then fails: plugins import nothing.
      keepUnusedImports: false,
    }).code;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    const line = err.loc?.line;
    const column = err.loc?.column;
    const what = (err.message ?? String(e))
      .replace(`Error transforming ${file}: `, '') // the file name may itself hold a colon (user:x.js)
      .replace(/ \(\d+:\d+\)$/, '');
    const at = line !== undefined ? `${file}:${line}:${column}` : file;
    throw new LabError('PLUGIN', `${at}: syntax error: ${what}`, {
      file,
      line,
      column,
      plugin: file,
      phase: 'load',
    });
  }
}
