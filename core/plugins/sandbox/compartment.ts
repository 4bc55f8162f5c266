// One Hardened JavaScript compartment per plugin file: a global object of its own holding the
// frozen standard built-ins and nothing of the host. No fetch, WebSocket, importScripts,
// postMessage, self, indexedDB, timers, process or require; no eval, Function or nested
// Compartment (no code made from strings at run time); no Promise, SharedArrayBuffer, Atomics
// or FinalizationRegistry (nothing scheduled to run later, nothing shared with other threads).
// Each of those names holds a stand-in that fails with the reason (explain.ts lists them).
// What a plugin may use is what the engine hands its functions: ctx, tensors, weights.
import { SandboxRefusal, WITHHELD_GLOBALS, explainSandboxError, notAvailable } from './explain';

/** Where a plugin's console.log goes, with the plugin's file name. */
export type PluginConsoleSink = (
  level: 'log' | 'warn' | 'error',
  file: string,
  text: string,
) => void;

/** Lines of console output a plugin file may write before the rest is dropped. */
export const CONSOLE_LINES = 200;

/**
 * Evaluate a plugin script (pluginSourceToScript) in a new compartment and return what it
 * exported. The realm must be hardened first (harden-realm.ts).
 *
 * @example const mod = evaluateInCompartment(script, 'wacky.js', sink); mod.default.type;
 */
export function evaluateInCompartment(
  script: string,
  file: string,
  sink: PluginConsoleSink,
): { default?: unknown } {
  const globals: Record<string, unknown> = {
    console: pluginConsole(file, sink),
    // SES keeps these two out of compartments (a NaN's bits could carry a message); a layer's
    // scratch arrays are worth more here, and nothing leaves a plugin but its tensors anyway.
    Float32Array,
    Float64Array,
  };
  for (const name of WITHHELD_GLOBALS) globals[name] = standIn(name);
  const compartment = new Compartment({
    __options__: true,
    name: file,
    globals: globals as never,
  });
  // Frozen, its built-ins are constants to SES's evaluator, which reads them once instead of
  // looking each one up at every use (Math.exp in a plugin's loop runs at full speed).
  Object.freeze(compartment.globalThis);
  const body = `(function (exports, require) {${script}\n})\n//# sourceURL=${file.replace(/\s/g, '_')}\n`;
  let factory: (exports: object, require: (specifier: string) => never) => void;
  try {
    factory = compartment.evaluate(body);
  } catch (e) {
    throw sesRefusal(e) ?? e;
  }
  const exports: Record<string, unknown> = {};
  try {
    factory(exports, (specifier) => {
      throw new Error(
        `imports '${specifier}', but a plugin imports nothing: the engine hands a layer what it needs (ctx.ops, ctx.zeros, ctx.tensor), so keep the layer in this one file`,
      );
    });
  } catch (e) {
    const why = explainSandboxError(e);
    throw why === null ? e : new SandboxRefusal(why);
  }
  // A host object: awaiting it can never call a `then` the plugin exported.
  return { default: exports.default };
}

/**
 * In place of a withheld global: whatever a plugin does with it (call it, construct it, read a
 * property) fails with the reason, naming the global.
 */
function standIn(name: string): unknown {
  const refuse = () => {
    throw new TypeError(notAvailable(name));
  };
  // Not hardened (hardening reads through the traps); its target is reachable by nothing.
  return new Proxy(function unavailable() {}, {
    apply: refuse,
    construct: refuse,
    get: refuse,
    set: refuse,
    has: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
    getPrototypeOf: refuse,
    setPrototypeOf: refuse,
    getOwnPropertyDescriptor: refuse,
    ownKeys: refuse,
  });
}

function pluginConsole(file: string, sink: PluginConsoleSink) {
  let lines = 0;
  const write = (level: 'log' | 'warn' | 'error') =>
    harden((...args: unknown[]) => {
      if (lines > CONSOLE_LINES) return;
      lines++;
      const text =
        lines > CONSOLE_LINES
          ? `(more console output dropped: a plugin may write ${CONSOLE_LINES} lines)`
          : args.map(show).join(' ');
      sink(level, file, text);
    });
  const log = write('log');
  return harden({ log, info: log, debug: log, warn: write('warn'), error: write('error') });
}

/** A plugin's value as text, now: the sink never holds a plugin object. */
function show(v: unknown): string {
  try {
    if (typeof v === 'string') return v;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as unknown as ArrayLike<number>;
      const head = Array.from({ length: Math.min(a.length, 10) }, (_, i) => a[i]);
      return `[${head.join(', ')}${a.length > 10 ? `, … (${a.length})` : ''}]`;
    }
    if (typeof v === 'object' && v !== null) return JSON.stringify(v)?.slice(0, 500) ?? String(v);
    return String(v);
  } catch {
    return '(a value that cannot be shown)';
  }
}

/** SES refuses some source text before running it; say why in a plugin author's terms. */
function sesRefusal(e: unknown): Error | null {
  const message = e instanceof Error ? e.message : '';
  const at = /:(\d+)\. \(SES_/.exec(message)?.[1];
  const line = at ? ` (line ${at})` : '';
  if (/SES_IMPORT_REJECTED/.test(message))
    return new SandboxRefusal(
      `the text 'import(' appears${line}, and a plugin loads no code (spell it differently in strings)`,
    );
  if (/SES_EVAL_REJECTED/.test(message))
    return new SandboxRefusal(
      `eval is not available to a plugin (no code made from strings)${line}`,
    );
  if (/SES_HTML_COMMENT_REJECTED/.test(message))
    return new SandboxRefusal(
      `'<!--' or '-->' appears${line}; write it differently (e.g. 'i-- > 0')`,
    );
  return null;
}
