// Issue 12: a plugin written to get out. Each attempt is a plugin file whose code tries one way
// out of the sandbox: in its forward (run by the load-time gradient check and by training) or at
// the top of the module (run when it loads). The tests in Node (test/unit/plugins/escape.test.ts,
// and the command line in test/unit/cli/escape.test.ts) and in Chromium
// (test/e2e/security/escape.spec.ts) load every one and check that it fails with a message that
// names the plugin and says why.

export interface EscapeAttempt {
  /** Also the plugin's file name (`escape-<id>.js`) and, capitalised, its layer type. */
  id: string;
  what: string;
  /** Where the code runs: in forward(ctx, x), or at the top of the module. */
  at: 'forward' | 'load';
  code: string;
  /** What the message says, besides the plugin's name. */
  expect: RegExp;
  /** Only meaningful in one host (the rest run in both). */
  only?: 'node' | 'browser';
}

const NOT_AVAILABLE = (name: string) =>
  new RegExp(`${name.replace(/[.$]/g, (c) => `\\${c}`)} is not available to a plugin`);
const FROZEN = /built-in objects .* are frozen/;
const LATER = /which a plugin may not: .* none of a plugin's code may be left to run later/;
const IMPORTS = /a plugin imports nothing/;

export const ESCAPE_ATTEMPTS: EscapeAttempt[] = [
  // The network: what sent the imported CSV to a local server.
  {
    id: 'fetch',
    what: 'POST data with fetch',
    at: 'forward',
    code: "fetch('http://127.0.0.1:9/', { method: 'POST', body: String(x.data[0]) });",
    expect: NOT_AVAILABLE('fetch'),
  },
  {
    id: 'xhr',
    what: 'XMLHttpRequest',
    at: 'forward',
    code: "new XMLHttpRequest().open('GET', 'http://127.0.0.1:9/');",
    expect: NOT_AVAILABLE('XMLHttpRequest'),
  },
  {
    id: 'websocket',
    what: 'a WebSocket',
    at: 'forward',
    code: "new WebSocket('ws://127.0.0.1:9/');",
    expect: NOT_AVAILABLE('WebSocket'),
  },
  {
    id: 'importscripts',
    what: 'importScripts',
    at: 'forward',
    code: "importScripts('http://127.0.0.1:9/x.js');",
    expect: NOT_AVAILABLE('importScripts'),
  },
  {
    id: 'dynamic-import',
    what: 'a remote module by import()',
    at: 'load',
    code: "const m = import('http://127.0.0.1:9/x.js');",
    expect: /uses import\(…\) \(line \d+\), but a plugin imports nothing/,
  },
  {
    id: 'import-meta',
    what: 'import.meta',
    at: 'load',
    code: 'const u = import.meta.url;',
    expect: /uses import\.meta/,
  },
  // The UI's messages and the user's data.
  {
    id: 'self-postmessage',
    what: 'a fake "Training stopped" banner through self.postMessage',
    at: 'forward',
    code: "self.postMessage({ type: 'state', state: 'failed', error: { code: 'OP', message: 'SPOOFED', place: {} } });",
    expect: NOT_AVAILABLE('self'),
  },
  {
    id: 'postmessage',
    what: 'postMessage as a global',
    at: 'forward',
    code: "postMessage({ type: 'plugins', statuses: [] });",
    expect: NOT_AVAILABLE('postMessage'),
  },
  {
    id: 'globalthis-postmessage',
    what: 'globalThis.postMessage',
    at: 'forward',
    code: "globalThis.postMessage({ type: 'plugins', statuses: [] });",
    expect: NOT_AVAILABLE('postMessage'),
  },
  {
    id: 'broadcast',
    what: 'a BroadcastChannel to the page',
    at: 'forward',
    code: "new BroadcastChannel('lab').postMessage('x');",
    expect: NOT_AVAILABLE('BroadcastChannel'),
  },
  {
    id: 'indexeddb-read',
    what: "other plugins' sources from IndexedDB",
    at: 'forward',
    code: "indexedDB.open('backprop-lab');",
    expect: NOT_AVAILABLE('indexedDB'),
  },
  {
    id: 'onmessage',
    what: "the worker's messages (the CSV text, other plugins)",
    at: 'forward',
    code: "self.addEventListener('message', (e) => e);",
    expect: NOT_AVAILABLE('self'),
  },
  {
    id: 'caches',
    what: 'Cache storage to persist itself',
    at: 'forward',
    code: "caches.open('x');",
    expect: NOT_AVAILABLE('caches'),
  },
  {
    id: 'localstorage',
    what: 'localStorage',
    at: 'forward',
    code: "localStorage.setItem('x', 'y');",
    expect: NOT_AVAILABLE('localStorage'),
  },
  // Globals other layers use.
  {
    id: 'math-exp',
    what: 'Math.exp replaced (what took XOR from 0.013 to 0.693)',
    at: 'load',
    code: 'Math.exp = () => 1;',
    expect: FROZEN,
  },
  {
    id: 'array-prototype',
    what: 'Array.prototype.map replaced',
    at: 'forward',
    code: 'Array.prototype.map = function () { return []; };',
    expect: FROZEN,
  },
  {
    id: 'object-prototype',
    what: 'a property on Object.prototype',
    at: 'load',
    code: 'Object.prototype.lr = 100;',
    expect: FROZEN,
  },
  {
    id: 'typed-array',
    what: "Float32Array.prototype's fill replaced",
    at: 'forward',
    code: 'Float32Array.prototype.fill = function () { return this; };',
    expect: FROZEN,
  },
  {
    id: 'ops',
    what: 'ctx.ops.matmul replaced for every layer',
    at: 'forward',
    code: 'ctx.ops.matmul = () => x;',
    expect: FROZEN,
  },
  {
    id: 'tensor-class',
    what: "the Tensor class's detach replaced",
    at: 'forward',
    code: 'Object.getPrototypeOf(x).detach = () => x;',
    expect: FROZEN,
  },
  {
    id: 'own-global',
    what: 'a global to meet another plugin',
    at: 'load',
    code: 'globalThis.shared = 42;',
    expect: /tried to change shared/,
  },
  // Code that keeps running after forward returns (what changed an exported weight).
  {
    id: 'set-interval',
    what: 'setInterval',
    at: 'forward',
    code: 'setInterval(() => (x.data[0] = 7), 1);',
    expect: NOT_AVAILABLE('setInterval'),
  },
  {
    id: 'set-timeout',
    what: 'setTimeout',
    at: 'forward',
    code: 'setTimeout(() => (x.data[0] = 7), 1);',
    expect: NOT_AVAILABLE('setTimeout'),
  },
  {
    id: 'microtask',
    what: 'queueMicrotask',
    at: 'forward',
    code: 'queueMicrotask(() => (x.data[0] = 7));',
    expect: NOT_AVAILABLE('queueMicrotask'),
  },
  {
    id: 'promise',
    what: 'Promise.then',
    at: 'forward',
    code: 'Promise.resolve().then(() => (x.data[0] = 7));',
    expect: NOT_AVAILABLE('Promise'),
  },
  {
    id: 'async',
    what: 'an async function',
    at: 'load',
    code: 'const later = async () => 1;',
    expect: LATER,
  },
  {
    id: 'await',
    what: 'await',
    at: 'load',
    code: 'function f() { return 1; }\nconst w = await f();',
    expect: LATER,
  },
  {
    id: 'from-async',
    what: 'Array.fromAsync (a promise without Promise)',
    at: 'forward',
    code: 'Array.fromAsync([1]);',
    expect: /Array\.fromAsync is not|is not a function/,
  },
  {
    id: 'finalization',
    what: 'a FinalizationRegistry callback',
    at: 'forward',
    code: 'new FinalizationRegistry(() => (x.data[0] = 7)).register({}, 1);',
    expect: NOT_AVAILABLE('FinalizationRegistry'),
  },
  // Code made from strings, and the host's Function.
  {
    id: 'function',
    what: 'the Function constructor',
    at: 'forward',
    code: "Function('return this')();",
    expect: NOT_AVAILABLE('Function'),
  },
  {
    id: 'direct-eval',
    what: 'direct eval',
    at: 'load',
    code: "const two = eval('1 + 1');",
    expect: /eval is not available to a plugin/,
  },
  {
    id: 'eval',
    what: 'eval',
    at: 'forward',
    code: "const e = eval;\n    e('1 + 1');",
    expect: NOT_AVAILABLE('eval'),
  },
  {
    id: 'constructor-chain',
    what: "a tensor's constructor's constructor (the host Function)",
    at: 'forward',
    code: "x.constructor.constructor('return process')();",
    expect: /code made from strings is not available|Function\.prototype\.constructor/,
  },
  {
    id: 'compartment',
    what: 'a compartment of its own',
    at: 'forward',
    code: "new Compartment().evaluate('1');",
    expect: NOT_AVAILABLE('Compartment'),
  },
  {
    id: 'wasm',
    what: 'WebAssembly',
    at: 'forward',
    code: 'WebAssembly.compile(new Uint8Array(8));',
    expect: NOT_AVAILABLE('WebAssembly'),
  },
  {
    id: 'worker',
    what: 'a Worker of its own',
    at: 'forward',
    code: "new Worker('x.js');",
    expect: NOT_AVAILABLE('Worker'),
  },
  {
    id: 'shared-memory',
    what: 'SharedArrayBuffer and Atomics',
    at: 'forward',
    code: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);',
    expect: /(SharedArrayBuffer|Atomics) is not available to a plugin/,
  },
  // Nondeterminism: a layer computes the same for the same inputs.
  {
    id: 'math-random',
    what: 'Math.random',
    at: 'forward',
    code: 'x.data[0] += Math.random();',
    expect: /Math\.random is not available to a plugin: use ctx\.rng/,
  },
  {
    id: 'date-now',
    what: 'the clock',
    at: 'forward',
    code: 'x.data[0] += Date.now();',
    expect: /clock.* not available to a plugin/,
  },
  // Node: the file system and other processes (the command line).
  {
    id: 'import-fs',
    what: "import fs from 'fs'",
    at: 'load',
    code: "import fs from 'fs';\nfs.writeFileSync('/tmp/escaped', 'x');",
    expect: IMPORTS,
  },
  {
    id: 'import-node-fs',
    what: "import('node:fs')",
    at: 'load',
    code: "const fs = import('node:fs');",
    expect: IMPORTS,
  },
  {
    id: 'require',
    what: "require('child_process')",
    at: 'forward',
    code: "require('child_process').execSync('touch /tmp/escaped');",
    expect: /imports 'child_process', but a plugin imports nothing/,
  },
  {
    id: 'process',
    what: 'process.getBuiltinModule',
    at: 'forward',
    code: "process.getBuiltinModule('fs').writeFileSync('/tmp/escaped', 'x');",
    expect: NOT_AVAILABLE('process'),
  },
  {
    id: 'global',
    what: 'global.process',
    at: 'forward',
    code: 'global.process.exit(3);',
    expect: NOT_AVAILABLE('global'),
  },
  {
    id: 'module',
    what: 'module.constructor',
    at: 'forward',
    code: "module.constructor._load('fs');",
    expect: NOT_AVAILABLE('module'),
  },
  {
    id: 'buffer',
    what: 'Buffer',
    at: 'forward',
    code: "Buffer.from('x');",
    expect: NOT_AVAILABLE('Buffer'),
  },
];

/** The layer type of an attempt's plugin: `Escape_fetch`. */
export const escapeType = (a: EscapeAttempt) => `Escape_${a.id.replace(/-/g, '_')}`;

export const escapeFile = (a: EscapeAttempt) => `escape-${a.id}.js`;

/** The plugin file of an attempt: a layer y = x whose forward (or module) makes the attempt. */
export function escapePlugin(a: EscapeAttempt): string {
  const forward = a.at === 'forward' ? `    ${a.code}\n` : '';
  const head = a.at === 'load' ? `${a.code}\n` : '';
  return `${head}export default {
  type: '${escapeType(a)}',
  description: '${a.what.replace(/'/g, "\\'")}',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x) {
${forward}    return ctx.ops.scale(x, 1);
  },
};
`;
}
