// What the inspector's fields accept: a layer parameter typed as text (checked against its
// schema before anything reaches the graph), and node ids.
import type { ParamSpec, ParamValue } from '../../core/layers/contract';
import { isValidNodeId } from '../stores/graph-ids';

export type Parsed = { ok: true; value: ParamValue } | { ok: false; error: string };

/** A parameter's value as the field shows it ("8", "8,8", true). */
export function formatParam(spec: ParamSpec, value: ParamValue | undefined): string {
  const v = value ?? spec.default;
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

function range(spec: { min?: number; max?: number }): string {
  if (spec.min !== undefined && spec.max !== undefined)
    return `between ${spec.min} and ${spec.max}`;
  if (spec.min !== undefined) return `at least ${spec.min}`;
  if (spec.max !== undefined) return `at most ${spec.max}`;
  return '';
}

/** A typed-in value for a parameter, or what is wrong with it. */
export function parseParam(spec: ParamSpec, input: string | boolean): Parsed {
  switch (spec.type) {
    case 'boolean':
      return { ok: true, value: input === true || input === 'true' };
    case 'enum': {
      const s = String(input);
      return spec.values.includes(s)
        ? { ok: true, value: s }
        : { ok: false, error: `Choose one of ${spec.values.join(', ')}` };
    }
    case 'int':
    case 'number': {
      const s = String(input).trim();
      if (s === '') return { ok: false, error: 'Enter a number' };
      const n = Number(s);
      if (!Number.isFinite(n)) return { ok: false, error: 'Enter a number' };
      if (spec.type === 'int' && !Number.isInteger(n))
        return { ok: false, error: 'Enter a whole number' };
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        return { ok: false, error: `Enter a number ${range(spec)}` };
      return { ok: true, value: n };
    }
    case 'shape': {
      const s = String(input).trim();
      const parts = s === '' ? [] : s.split(/\s*[,×x\s]\s*/);
      const dims = parts.map(Number);
      if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1))
        return {
          ok: false,
          error: 'Enter positive whole numbers separated by commas, like 2 or 8,8',
        };
      return { ok: true, value: dims };
    }
  }
}

export function sameValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** Why `next` cannot be the new id of node `current`, or null when it can. */
export function idError(current: string, next: string, taken: Iterable<string>): string | null {
  if (next === current) return null;
  if (next === '') return 'A node needs an id';
  if (!isValidNodeId(next))
    return 'Use letters, digits, _ and -, starting with a letter or _ (no spaces)';
  for (const id of taken) if (id === next) return `'${next}' is already the id of another node`;
  return null;
}

/** The step of a number field: whole numbers for int, fine steps for small ranges. */
export function stepOf(spec: ParamSpec): string {
  if (spec.type === 'int') return '1';
  if (spec.type === 'number') {
    if (spec.max !== undefined && spec.max <= 1) return '0.01';
    return 'any';
  }
  return 'any';
}

/** One line on what each flag does to memory, for the inspector. */
export const FLAG_HELP = {
  frozen:
    'Its weights get no gradient and are not updated, so it keeps only what its inputs’ gradients need.',
  detach:
    'No gradient flows back into its inputs: layers upstream that then need none save nothing.',
  store: 'Keeps what backward needs in memory until backward runs (the default).',
  recompute:
    'Marked nodes in a row are one recompute segment: only the tensors entering it are kept, and its forward runs again before backward — less memory, more compute. One node alone keeps its input instead of its output and saves nothing (the Lab’s Memory view shows both).',
} as const;

/** Field name of a node issue path ('params.units', 'inputs[1]', 'frozen', '' for the node). */
export type FieldIssues = Record<string, string[]>;

/** The issues of the inspector's sections: parameters by name, inputs, flags, the rest. */
export function sortIssues(
  issues: FieldIssues,
  params: readonly string[],
): {
  params: Record<string, string[]>;
  inputs: string[];
  flags: Record<'frozen' | 'detach' | 'memory', string[]>;
  node: string[];
} {
  const out = {
    params: {} as Record<string, string[]>,
    inputs: [] as string[],
    flags: { frozen: [], detach: [], memory: [] } as Record<
      'frozen' | 'detach' | 'memory',
      string[]
    >,
    node: [] as string[],
  };
  for (const [field, messages] of Object.entries(issues)) {
    const param = /^params\.([^.[]+)/.exec(field)?.[1];
    if (param && params.includes(param)) (out.params[param] ??= []).push(...messages);
    else if (/^inputs\b/.test(field)) out.inputs.push(...messages);
    else if (field === 'frozen' || field === 'detach' || field === 'memory')
      out.flags[field].push(...messages);
    else out.node.push(...messages);
  }
  return out;
}
