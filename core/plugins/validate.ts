import type { LayerDefinition, ParamSpec } from '../layers/contract';
import { LabError } from '../util/errors';

const KNOWN_KEYS = [
  'type',
  'description',
  'category',
  'params',
  'inputs',
  'build',
  'forward',
  'backward',
  'gradcheck',
  'onnx',
  'onnxImport',
  'pytorch',
  'probabilities',
  'entry',
  'fused',
  'lab',
] as const;

export interface ValidateOptions {
  /** A built-in layer's module: it may be the graph's entry (`entry: true`). */
  builtin?: boolean;
}

/** Shapes and parameters to gradient-check a plugin at, when it loads. */
export interface GradcheckDeclaration {
  inShapes: number[][];
  params?: Record<string, number | boolean | string | number[]>;
  batch?: number;
}

export type PluginLayerDefinition = LayerDefinition & { gradcheck?: GradcheckDeclaration };

/**
 * The definitions a plugin module exports (its default export: one definition or an array),
 * each checked for what the engine relies on. Every problem is a LabError naming the file,
 * the layer and the field.
 */
export function definitionsFromModule(
  mod: unknown,
  file: string,
  opts: ValidateOptions = {},
): PluginLayerDefinition[] {
  const exported = (mod as { default?: unknown } | null)?.default;
  if (exported === undefined) {
    throw pluginError(
      file,
      `has no default export: write \`export default { type: 'MyLayer', build, forward }\``,
    );
  }
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw pluginError(file, 'its default export is an empty array');
  const seen = new Set<string>();
  return list.map((d, i) => {
    const def = validateDefinition(d, file, Array.isArray(exported) ? i : null, opts);
    if (seen.has(def.type)) throw pluginError(file, `defines the layer type '${def.type}' twice`);
    seen.add(def.type);
    return def;
  });
}

export function validateDefinition(
  d: unknown,
  file: string,
  index: number | null,
  opts: ValidateOptions = {},
): PluginLayerDefinition {
  const where = index === null ? 'the default export' : `export default [${index}]`;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    throw pluginError(file, `${where} must be a layer definition object, got ${describe(d)}`);
  }
  const o = d as Record<string, unknown>;
  const name = typeof o.type === 'string' ? `layer '${o.type}'` : where;
  const fail = (field: string, msg: string) => pluginError(file, `${name}: ${field} ${msg}`, field);

  if (o.type === undefined)
    throw fail('type', "is missing: give the layer a unique name, e.g. type: 'Wacky'");
  if (typeof o.type !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(o.type)) {
    throw fail(
      'type',
      `must be a name of letters, digits and _ starting with a letter, got ${describe(o.type)}`,
    );
  }
  for (const k of Object.keys(o)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(k)) {
      const near = KNOWN_KEYS.find((known) => closeTo(k, known));
      throw fail(k, `is not part of a layer definition${near ? ` (did you mean '${near}'?)` : ''}`);
    }
  }
  for (const fn of ['build', 'forward'] as const) {
    if (o[fn] === undefined) throw fail(fn, `is missing: a layer needs build() and forward()`);
    if (typeof o[fn] !== 'function') throw fail(fn, `must be a function, got ${describe(o[fn])}`);
  }
  if (o.backward !== undefined && typeof o.backward !== 'function') {
    throw fail(
      'backward',
      `must be a function (or left out, for autograd), got ${describe(o.backward)}`,
    );
  }
  for (const k of ['description', 'category'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string')
      throw fail(k, `must be a string, got ${describe(o[k])}`);
  }
  if (o.onnx !== undefined && typeof o.onnx !== 'function') {
    throw fail(
      'onnx',
      `must be a function onnx(ctx) returning ONNX nodes, got ${describe(o.onnx)}`,
    );
  }
  if (
    o.pytorch !== undefined &&
    typeof o.pytorch !== 'function' &&
    (typeof o.pytorch !== 'object' || o.pytorch === null || Array.isArray(o.pytorch))
  ) {
    throw fail(
      'pytorch',
      `must be { className, code }, { module } or { expression }, or a function pytorch(ctx) returning one, got ${describe(o.pytorch)}`,
    );
  }
  if (o.fused !== undefined) {
    checkFused(o.fused, fail);
    if ((o.inputs ?? 1) !== 1)
      throw fail('fused', 'is for layers with one input: the fused plan runs plain chains');
  }
  if (o.lab !== undefined) checkLab(o.lab, fail);
  if (o.probabilities !== undefined && typeof o.probabilities !== 'boolean')
    throw fail('probabilities', `must be true or false, got ${describe(o.probabilities)}`);
  if (o.onnxImport !== undefined) {
    if (!opts.builtin) {
      throw fail(
        'onnxImport',
        'is for built-in layers only: importing an ONNX model runs outside the plugin sandbox, so it cannot call plugin code',
      );
    }
    checkOnnxImport(o.onnxImport, fail);
  }
  if (o.entry !== undefined && !opts.builtin) {
    throw fail('entry', 'is for the built-in Input layer only: a network has one Input node');
  }
  // The entry takes no inputs; a shape parameter is the entry's.
  const entry = opts.builtin === true && o.entry === true;
  if (o.inputs !== undefined) checkInputs(o.inputs, fail, entry ? 0 : 1);
  if (o.params !== undefined) checkParams(o.params, fail, entry);
  if (o.gradcheck !== undefined) checkGradcheck(o.gradcheck, fail);
  return o as unknown as PluginLayerDefinition;
}

type Fail = (field: string, msg: string) => LabError;

function checkInputs(v: unknown, fail: Fail, least: number): void {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < least)
      throw fail('inputs', `must be a whole number of at least ${least}, got ${v}`);
    return;
  }
  const r = v as { min?: unknown; max?: unknown };
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(r.min) &&
    (r.min as number) >= 1 &&
    (r.max === undefined || (Number.isInteger(r.max) && (r.max as number) >= (r.min as number)));
  if (!ok)
    throw fail(
      'inputs',
      `must be a number or { min, max? } with 1 <= min <= max, got ${describe(v)}`,
    );
}

function checkParams(v: unknown, fail: Fail, shapes: boolean): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw fail('params', `must be an object of parameter specs, got ${describe(v)}`);
  }
  for (const [key, spec] of Object.entries(v as Record<string, unknown>)) {
    const f = `params.${key}`;
    if (typeof spec !== 'object' || spec === null)
      throw fail(f, `must be a spec like { type: 'number', default: 1 }, got ${describe(spec)}`);
    const s = spec as Partial<ParamSpec> & Record<string, unknown>;
    const def = s.default;
    switch (s.type) {
      case 'int':
      case 'number':
        if (typeof def !== 'number' || !Number.isFinite(def))
          throw fail(f, `needs a numeric default, got ${describe(def)}`);
        if (s.type === 'int' && !Number.isInteger(def))
          throw fail(f, `is an int but its default is ${def}`);
        for (const b of ['min', 'max'] as const) {
          if (s[b] !== undefined && (typeof s[b] !== 'number' || !Number.isFinite(s[b])))
            throw fail(f, `${b} must be a number, got ${describe(s[b])}`);
        }
        if (typeof s.min === 'number' && typeof s.max === 'number' && s.min > s.max)
          throw fail(f, `has min ${s.min} above max ${s.max}`);
        if (
          (typeof s.min === 'number' && def < s.min) ||
          (typeof s.max === 'number' && def > s.max)
        )
          throw fail(f, `default ${def} is outside [${s.min ?? '-∞'}, ${s.max ?? '∞'}]`);
        break;
      case 'boolean':
        if (typeof def !== 'boolean')
          throw fail(f, `needs a default of true or false, got ${describe(def)}`);
        break;
      case 'enum': {
        const values = s.values as unknown;
        if (
          !Array.isArray(values) ||
          values.length === 0 ||
          !values.every((x) => typeof x === 'string')
        ) {
          throw fail(f, `is an enum and needs values: a non-empty list of strings`);
        }
        if (!(values as unknown[]).includes(def))
          throw fail(
            f,
            `default ${describe(def)} is not one of its values ${JSON.stringify(values)}`,
          );
        break;
      }
      case 'shape': {
        // Only the entry (Input) has a shape parameter.
        const ok =
          Array.isArray(def) && def.length > 0 && def.every((d) => Number.isInteger(d) && d > 0);
        if (!shapes || !ok)
          throw fail(f, `has type 'shape'; use 'int', 'number', 'boolean' or 'enum'`);
        break;
      }
      default:
        throw fail(f, `has type ${describe(s.type)}; use 'int', 'number', 'boolean' or 'enum'`);
    }
  }
}

function checkFused(v: unknown, fail: Fail): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw fail(
      'fused',
      `must be { forward, backward, evaluate?, fits?, scratch? }, got ${describe(v)}`,
    );
  }
  const k = v as Record<string, unknown>;
  for (const key of Object.keys(k)) {
    if (!['forward', 'backward', 'evaluate', 'fits', 'scratch'].includes(key))
      throw fail(
        `fused.${key}`,
        'is not part of a fused kernel (forward, backward, evaluate, fits, scratch)',
      );
  }
  for (const fn of ['forward', 'backward'] as const) {
    if (typeof k[fn] !== 'function')
      throw fail(`fused.${fn}`, `must be a function, got ${describe(k[fn])}`);
  }
  for (const fn of ['evaluate', 'fits', 'scratch'] as const) {
    if (k[fn] !== undefined && typeof k[fn] !== 'function')
      throw fail(`fused.${fn}`, `must be a function (or left out), got ${describe(k[fn])}`);
  }
}

function checkLab(v: unknown, fail: Fail): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw fail(
      'lab',
      `must be { forward?, backward?, linear?, sameUnits?, cancels? }, got ${describe(v)}`,
    );
  }
  const l = v as Record<string, unknown>;
  for (const key of Object.keys(l)) {
    if (!['forward', 'backward', 'linear', 'sameUnits', 'cancels'].includes(key))
      throw fail(
        `lab.${key}`,
        'is not part of the Lab formulas (forward, backward, linear, sameUnits, cancels)',
      );
  }
  const c = l.cancels as { loss?: unknown; backward?: unknown } | undefined;
  if (
    c !== undefined &&
    (typeof c !== 'object' ||
      c === null ||
      typeof c.loss !== 'string' ||
      typeof c.backward !== 'function')
  )
    throw fail(
      'lab.cancels',
      `must be { loss: 'BCE', backward: (ctx) => ({ title, formula }) }, got ${describe(c)}`,
    );
  for (const fn of ['forward', 'backward'] as const) {
    if (l[fn] !== undefined && typeof l[fn] !== 'function')
      throw fail(
        `lab.${fn}`,
        `must be a function (ctx) => ({ title, formula }), got ${describe(l[fn])}`,
      );
  }
  const linear = l.linear as { weight?: unknown } | undefined;
  if (linear !== undefined && (typeof linear !== 'object' || typeof linear?.weight !== 'string'))
    throw fail(
      'lab.linear',
      `must be { weight: 'name of the [out, in] weight' }, got ${describe(linear)}`,
    );
  if (l.sameUnits !== undefined && typeof l.sameUnits !== 'boolean')
    throw fail('lab.sameUnits', `must be true or false, got ${describe(l.sameUnits)}`);
}

/** A built-in's import pattern: the operators it starts at, and its match (core/import/pattern.ts). */
function checkOnnxImport(v: unknown, fail: Fail): void {
  const p = v as { ops?: unknown; summary?: unknown; match?: unknown; foldInput?: unknown } | null;
  if (typeof p !== 'object' || p === null) {
    throw fail(
      'onnxImport',
      `must be { ops, match(node, ctx), foldInput?, summary? }, got ${describe(v)}`,
    );
  }
  if (!Array.isArray(p.ops) || p.ops.length === 0 || !p.ops.every((o) => typeof o === 'string'))
    throw fail(
      'onnxImport.ops',
      `must list the ONNX operators it starts at, got ${describe(p.ops)}`,
    );
  if (p.summary !== undefined && typeof p.summary !== 'string')
    throw fail('onnxImport.summary', `must be a string, got ${describe(p.summary)}`);
  for (const fn of ['match', 'foldInput'] as const) {
    if ((fn === 'match' || p[fn] !== undefined) && typeof p[fn] !== 'function')
      throw fail(`onnxImport.${fn}`, `must be a function, got ${describe(p[fn])}`);
  }
}

function checkGradcheck(v: unknown, fail: Fail): void {
  const g = v as { inShapes?: unknown };
  const shapes = g?.inShapes;
  const ok =
    Array.isArray(shapes) &&
    shapes.length > 0 &&
    shapes.every(
      (s) => Array.isArray(s) && s.length > 0 && s.every((d) => Number.isInteger(d) && d > 0),
    );
  if (!ok)
    throw fail(
      'gradcheck',
      `must be { inShapes: [[4], …] } with one shape per input, got ${describe(v)}`,
    );
}

export function pluginError(file: string, message: string, field?: string): LabError {
  return new LabError('PLUGIN', `${file}: ${message}`, {
    file,
    plugin: file,
    path: field,
    phase: 'load',
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;
}

/** One edit apart, or the same but for case: enough to catch `backwards` and `Forward`. */
function closeTo(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0,
    j = 0,
    edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (a.length < b.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
