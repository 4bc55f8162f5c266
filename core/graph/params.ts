import type { ParamSpec, ParamValue, Params } from '../layers/contract';

/**
 * Fill in defaults and check each given value against the layer's parameter schema.
 * Returns the problems instead of throwing, so a project lists them all at once.
 */
export function resolveParams(
  specs: Record<string, ParamSpec> | undefined,
  given: Record<string, ParamValue> | undefined,
): { params: Params; problems: { key: string; message: string }[] } {
  const params: Params = {};
  const problems: { key: string; message: string }[] = [];
  const s = specs ?? {};
  for (const [k, spec] of Object.entries(s))
    params[k] = Array.isArray(spec.default) ? spec.default.slice() : spec.default;
  for (const [k, v] of Object.entries(given ?? {})) {
    const spec = s[k];
    if (!spec) {
      const known = Object.keys(s);
      problems.push({
        key: k,
        message: `unknown parameter '${k}'${known.length ? ` (known: ${known.join(', ')})` : ' (this layer has none)'}`,
      });
      continue;
    }
    const err = checkValue(spec, v);
    if (err) problems.push({ key: k, message: err });
    else params[k] = v;
  }
  return { params, problems };
}

function checkValue(spec: ParamSpec, v: ParamValue): string | null {
  switch (spec.type) {
    case 'int':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v))
        return `expected a number, got ${JSON.stringify(v)}`;
      if (spec.type === 'int' && !Number.isInteger(v)) return `expected a whole number, got ${v}`;
      if (spec.min !== undefined && v < spec.min) return `must be at least ${spec.min}, got ${v}`;
      if (spec.max !== undefined && v > spec.max) return `must be at most ${spec.max}, got ${v}`;
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : `expected true or false, got ${JSON.stringify(v)}`;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v)
        ? null
        : `expected one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')}, got ${JSON.stringify(v)}`;
    case 'shape':
      return Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d > 0)
        ? null
        : `expected a shape like [4] or [8, 8] of positive whole numbers, got ${JSON.stringify(v)}`;
  }
}
