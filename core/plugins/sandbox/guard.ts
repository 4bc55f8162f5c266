// The engine never calls a plugin's own objects: it calls a frozen copy of each layer definition
// whose functions are wrappers. A wrapper tells the watchdog (Activity) what runs — which plugin,
// which function, which node — and turns an error the sandbox caused into a message that names
// the plugin and says why. Every function on a definition gets one, whatever its key (build,
// forward, backward, and whatever capabilities a definition carries), so a plugin cannot swap a
// function after it has been checked either.
import type { Activity } from '../../util/activity';
import { LabError } from '../../util/errors';
import { explainSandboxError } from './explain';

export interface GuardOptions {
  /** Records which plugin function runs, for the watchdog of another thread. */
  activity?: Activity;
}

/**
 * A frozen copy of a layer definition from `file`, with every function (at any depth) wrapped.
 *
 * @example const def = guardDefinition(raw, 'wacky.js', { activity }); def.forward(ctx, x, w);
 */
export function guardDefinition<T extends object>(raw: T, file: string, o: GuardOptions = {}): T {
  const type =
    typeof (raw as { type?: unknown }).type === 'string' ? (raw as { type: string }).type : '?';
  const seen = new Map<object, unknown>();
  const copy = (v: unknown, owner: object, path: string): unknown => {
    if (typeof v === 'function') return wrap(v as Fn, owner, path, type, file, o);
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    if (ArrayBuffer.isView(v)) {
      const c = (v as unknown as { slice(): unknown }).slice();
      seen.set(v, c);
      return c;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      v.forEach((x, i) => out.push(copy(x, v, `${path}[${i}]`)));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const k of Object.keys(v))
      out[k] = copy((v as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
    return out;
  };
  return harden(copy(raw, raw, '')) as T;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;

function wrap(fn: Fn, owner: object, key: string, type: string, file: string, o: GuardOptions): Fn {
  const activity = o.activity;
  const labels = new Map<string, number>();
  const labelFor = (node: string | null): number => {
    const k = node ?? '';
    let id = labels.get(k);
    if (id === undefined) {
      const who = `${type} from plugin ${file}`;
      id = activity!.label(node === null ? `${who}: ${key}` : `node ${node} (${who}): ${key}`);
      labels.set(k, id);
    }
    return id;
  };
  return function guarded(...args: unknown[]) {
    const token = activity ? activity.enter(labelFor(nodeOf(args[0]))) : 0;
    try {
      return fn.apply(owner, args);
    } catch (e) {
      throw explained(e, file, type, key);
    } finally {
      if (activity) activity.leave(token);
    }
  };
}

/** The node a call is for: ctx.node, when the first argument is the engine's ctx. */
function nodeOf(first: unknown): string | null {
  if (typeof first !== 'object' || first === null) return null;
  const node = (first as { node?: unknown }).node;
  return typeof node === 'string' ? node : null;
}

function explained(e: unknown, file: string, type: string, key: string): unknown {
  const why = explainSandboxError(e);
  if (why === null) return e;
  // The caller names the node and the plugin (run.ts: "Error in Wacky from plugin wacky.js …").
  const err = new LabError('PLUGIN', `${why} (in ${type}.${key})`, {
    plugin: file,
    file,
    phase: key,
  });
  if (e instanceof Error && e.stack)
    err.stack = `${err.name}: ${err.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
  return err;
}
