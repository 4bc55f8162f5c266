// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient module types, needed by every tsconfig that reaches this file
/// <reference path="./sucrase-internals.d.ts" />
import { transform } from 'sucrase/dist/index.js';
import { parse, type SucraseToken } from 'sucrase/dist/parser/index.js';
import { TokenType } from 'sucrase/dist/parser/tokenizer/types.js';
import { LabError } from '../util/errors';

import { MAX_PLUGIN_SOURCE_BYTES } from './limits';

export { MAX_PLUGIN_SOURCE_BYTES } from './limits';

/**
 * Turn a plugin file's text into plain JavaScript: TypeScript types are stripped from `.ts`
 * files, and a syntax error in either kind is reported with the file, line and column.
 *
 * @example const js = pluginSourceToJs(text, 'wacky.ts');
 */
export function pluginSourceToJs(source: string, file: string): string {
  checkSize(source, file);
  const ts = /\.(ts|mts)$/i.test(file);
  try {
    return transform(source, {
      transforms: ts ? ['typescript'] : [],
      filePath: file,
      disableESTransforms: true,
      // An import used only in types (`import { LayerDefinition } from './api'`) is removed, as
      // tsc removes it; any other import is kept and then refused: plugins import nothing.
      keepUnusedImports: false,
    }).code;
  } catch (e) {
    throw syntaxError(e, file);
  }
}

/**
 * A plugin file as the body of a function `(exports, require)` that the sandbox evaluates: its
 * JavaScript (pluginSourceToJs) with the comments blanked out (their text is no code, but the
 * sandbox refuses anything that looks like `import(`), checked for what a plugin may not write,
 * and its `export`s turned into assignments to `exports`. Lines and columns stay where they
 * were, so errors point into the file as the user wrote it.
 *
 * Refused, naming the line: any import (a plugin is one file; the engine hands it what it
 * needs), and `async`/`await` (a plugin's code runs only while the engine calls it: nothing of
 * it may be left to run later).
 *
 * @example const script = pluginSourceToScript('export default { type: "X" }', 'x.js');
 */
export function pluginSourceToScript(source: string, file: string): string {
  const js = pluginSourceToJs(source, file);
  let tokens: SucraseToken[];
  try {
    tokens = parse(js, false, false, false).tokens;
  } catch (e) {
    throw syntaxError(e, file);
  }
  checkTokens(js, tokens, file);
  const code = blankComments(js, tokens);
  try {
    return transform(code, { transforms: ['imports'], filePath: file, disableESTransforms: true })
      .code;
  } catch (e) {
    throw syntaxError(e, file);
  }
}

function checkSize(source: string, file: string): void {
  // UTF-16 code units: never fewer than the file's UTF-8 bytes are characters.
  if (source.length <= MAX_PLUGIN_SOURCE_BYTES) return;
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  throw new LabError(
    'PLUGIN',
    `${file}: the file is ${mb(source.length)}, more than a plugin may be (${mb(MAX_PLUGIN_SOURCE_BYTES)}): a layer is a few functions; keep large constants out of it`,
    { file, plugin: file, phase: 'load' },
  );
}

const T = TokenType;

function checkTokens(js: string, tokens: SucraseToken[], file: string): void {
  const text = (t: SucraseToken | undefined) => (t ? js.slice(t.start, t.end) : '');
  const lineOf = (t: SucraseToken) => js.slice(0, t.start).split('\n').length;
  const refuse = (t: SucraseToken, message: string) =>
    new LabError('PLUGIN', `${file}: ${message.replace('@', `(line ${lineOf(t)})`)}`, {
      file,
      plugin: file,
      line: lineOf(t),
      phase: 'load',
    });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (
      t.type === T._import ||
      (t.type === T.name && text(t) === 'import' && next?.type === T.dot)
    ) {
      if (next?.type === T.parenL || next?.type === T.dot) {
        const what = next.type === T.dot ? 'import.meta' : 'import(…)';
        throw refuse(
          t,
          `uses ${what} @, but a plugin imports nothing and loads no code: ${IMPORTS_NOTHING}`,
        );
      }
      const spec = tokens.slice(i + 1).find((u) => u.type === T.string);
      throw refuse(
        t,
        `imports ${text(spec) || 'a module'} @, but a plugin imports nothing: ${IMPORTS_NOTHING}`,
      );
    }
    if (t.type !== T.name) continue;
    const word = text(t);
    if (word === 'await' || (word === 'async' && startsAsyncFunction(next))) {
      throw refuse(
        t,
        `uses '${word}' @, which a plugin may not: the engine calls a layer's functions and uses what they return at once, and none of a plugin's code may be left to run later`,
      );
    }
  }
}

const IMPORTS_NOTHING =
  'the engine hands a layer what it needs (ctx.ops, ctx.zeros, ctx.tensor), so keep the layer in this one file';

// `async function`, `async (`, `async x =>`, `async name() {}` in an object, `async *gen()`.
function startsAsyncFunction(next: SucraseToken | undefined): boolean {
  if (!next) return false;
  return [T._function, T.parenL, T.name, T.star, T.bracketL, T.string, T.num].includes(next.type);
}

/** The code with every comment replaced by spaces (line breaks kept). */
function blankComments(js: string, tokens: SucraseToken[]): string {
  let out = '';
  let at = 0;
  for (const t of tokens) {
    out += blankGap(js.slice(at, t.start)) + js.slice(t.start, t.end);
    at = t.end;
  }
  return out + blankGap(js.slice(at));
}

// Between two tokens there is only white space and comments.
function blankGap(gap: string): string {
  return /^\s*$/.test(gap) ? gap : gap.replace(/[^\s]/g, ' ');
}

function syntaxError(e: unknown, file: string): LabError {
  if (e instanceof LabError) return e;
  const err = e as Error & { loc?: { line: number; column: number } };
  const line = err.loc?.line;
  const column = err.loc?.column;
  const what = (err.message ?? String(e))
    .replace(`Error transforming ${file}: `, '') // the file name may itself hold a colon (user:x.js)
    .replace(/ \(\d+:\d+\)$/, '');
  const at = line !== undefined ? `${file}:${line}:${column}` : file;
  return new LabError('PLUGIN', `${at}: syntax error: ${what}`, {
    file,
    line,
    column,
    plugin: file,
    phase: 'load',
  });
}
