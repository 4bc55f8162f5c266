import { ProjectError } from '../core/graph/parse';
import { LabError, isLabError } from '../core/util/errors';

export { describeFsError } from '../node/fs-errors';

/** Exit codes: 0 success, 1 the run failed (diverged, gradcheck mismatch), 2 bad input, 70 a bug. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, internal: 70 } as const;

export function exitCodeOf(e: unknown): number {
  if (!isLabError(e)) return EXIT.internal;
  if (e.code === 'NON_FINITE' || e.code === 'TIMEOUT') return EXIT.failed;
  // A built-in op failing is the engine's fault, not the user's.
  if (e.code === 'OP') return EXIT.internal;
  return EXIT.badInput;
}

/**
 * Add the file a LabError belongs to (and the field path, when the message lacks it), so that
 * the one line a user sees names both. Errors that already name the file pass through.
 *
 * @example await inFile('examples/xor.json', () => compileProject(project, registry));
 */
export async function inFile<T>(file: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw withFile(e, file);
  }
}

export function withFile(e: unknown, file: string): unknown {
  if (!isLabError(e)) return e;
  let message = e.message;
  if (e instanceof ProjectError && e.issues.length === 1 && e.code === 'PROJECT_GRAPH') {
    message = e.problems[0];
  } else if (e.place.path && !message.includes(e.place.path) && !(e instanceof ProjectError)) {
    message = `${e.place.path}: ${message}`;
  }
  if (!message.includes(file)) message = `${file}: ${message}`;
  if (message === e.message) return e;
  const out = new LabError(e.code, message, { ...e.place, file: e.place.file ?? file }, e.problems);
  out.stack = e.stack;
  return out;
}

/** What the command line prints for an error: one line, then further problems indented. */
export function formatError(e: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (isLabError(e)) {
    lines.push(`backprop-lab: ${e.message}`);
    if (e.problems.length > 1) for (const p of e.problems) lines.push(`  ${p}`);
    if (e.code === 'OP')
      lines.push('  (an internal error in a built-in layer; --debug shows where)');
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    lines.push(`backprop-lab: internal error: ${firstLine(msg)}`);
    if (!debug) lines.push('  (run again with --debug for the stack trace)');
  }
  if (debug && e instanceof Error && e.stack) lines.push(e.stack);
  return lines.join('\n') + '\n';
}

export function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
