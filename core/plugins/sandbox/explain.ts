// What a plugin's error means when it ran into the sandbox's walls: said in the plugin author's
// words, so that every way out that fails says why.

/** Host globals a plugin might reach for, and what a layer uses instead. */
const NOT_AVAILABLE: Record<string, string> = {
  fetch: 'no network',
  XMLHttpRequest: 'no network',
  WebSocket: 'no network',
  EventSource: 'no network',
  importScripts: 'no code loaded at run time',
  require: 'a plugin imports nothing',
  process: 'no access to the process',
  Buffer: 'use ctx.tensor or ctx.zeros',
  self: 'no access to the worker',
  window: 'no access to the page',
  document: 'no access to the page',
  global: 'no access to the process',
  module: 'a plugin imports nothing',
  __dirname: 'no files',
  __filename: 'no files',
  postMessage: 'no messages to the app: the engine reports what a layer computed',
  BroadcastChannel: 'no messages to the app: the engine reports what a layer computed',
  MessageChannel: 'no messages to the app: the engine reports what a layer computed',
  indexedDB: 'no storage',
  localStorage: 'no storage',
  caches: 'no storage',
  navigator: 'no access to the host',
  location: 'no access to the host',
  setTimeout: 'nothing runs after a layer returns',
  setInterval: 'nothing runs after a layer returns',
  setImmediate: 'nothing runs after a layer returns',
  queueMicrotask: 'nothing runs after a layer returns',
  requestAnimationFrame: 'nothing runs after a layer returns',
  Promise: 'nothing runs after a layer returns',
  FinalizationRegistry: 'nothing runs after a layer returns',
  WeakRef: 'nothing runs after a layer returns',
  SharedArrayBuffer: 'no memory shared with other threads',
  Atomics: 'no memory shared with other threads',
  Worker: 'no threads',
  eval: 'no code made from strings',
  Function: 'no code made from strings',
  Compartment: 'no code made from strings',
  lockdown: "the sandbox is not a plugin's to change",
  harden: "the sandbox is not a plugin's to change",
  WebAssembly: 'no code loaded at run time',
  performance: 'no clock: a layer computes the same for the same inputs',
  'Array.fromAsync': 'nothing runs after a layer returns',
  'Atomics.waitAsync': 'nothing runs after a layer returns',
};

/**
 * The globals a plugin's compartment holds a stand-in for (compartment.ts): using one fails with
 * its reason. `require` is the script's own parameter (it refuses every module).
 */
export const WITHHELD_GLOBALS: readonly string[] = Object.keys(NOT_AVAILABLE).filter(
  (name) => /^\w+$/.test(name) && name !== 'require',
);

/** The sandbox refused what a plugin did: its message says why, in the plugin author's words. */
export class SandboxRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxRefusal';
  }
}

/** Why `name` is not there for a plugin: the message of its stand-in in the compartment. */
export function notAvailable(name: string): string {
  const reason = Object.hasOwn(NOT_AVAILABLE, name) ? NOT_AVAILABLE[name] : 'not part of a layer';
  return `${name} is not available to a plugin (${reason}): a plugin may only compute with what the engine hands it`;
}

/**
 * The sandbox's reason for an error a plugin threw, or null for an ordinary error of its own.
 *
 * @example explainSandboxError(new ReferenceError('fetch is not defined')) // 'fetch is not available …'
 */
export function explainSandboxError(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const m = e.message;
  const undefinedName = /^(\w+) is not defined$/.exec(m)?.[1];
  if (undefinedName && Object.hasOwn(NOT_AVAILABLE, undefinedName))
    return notAvailable(undefinedName);
  if (/secure mode .*%Shared(Math|Date)%\.(\w+)/.test(m)) {
    const [, obj, fn] = /%Shared(Math|Date)%\.(\w+)/.exec(m)!;
    return obj === 'Math'
      ? `Math.${fn} is not available to a plugin: use ctx.rng, the layer's seeded generator, so that a run repeats`
      : `Date.${fn} and the clock are not available to a plugin: a layer computes the same for the same inputs`;
  }
  if (/secure mode .*Date/.test(m) || /%SharedDate%/.test(m))
    return 'the clock is not available to a plugin: a layer computes the same for the same inputs';
  const frozen =
    /Cannot assign to read only property '([^']*)' of (?:object|function) '([^']*)'/.exec(m) ??
    /Cannot (?:add|define) property ([^,]*), object is not extensible/.exec(m) ??
    /Cannot redefine property: (.*)/.exec(m) ??
    /Cannot delete property '([^']*)' of (.*)/.exec(m);
  if (frozen) {
    const what = frozen[2] ? `${frozen[1]} of ${frozen[2]}` : frozen[1];
    return `it tried to change ${what}, but the built-in objects (Math, Array, Object …) and the engine's own (ctx.ops, Tensor) are frozen: every layer shares them`;
  }
  if (/Function\.prototype\.constructor is not a valid constructor/.test(m))
    return 'code made from strings is not available to a plugin (no Function constructor)';
  return null;
}
