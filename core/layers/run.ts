import { autogradState, noGrad } from '../autograd/state';
import { record } from '../autograd/record';
import { ops } from '../ops';
import { Tensor, formatShape, sameShape, sizeOf, type DType } from '../tensor/tensor';
import { LabError, isLabError } from '../util/errors';
import type { Rng } from '../util/rng';
import type { BackwardResult, LayerContext, LayerDefinition, Params } from './contract';

export interface RunLayerOptions {
  node: string;
  /** Plugin file name, or 'builtin'. */
  source: string;
  params: Params;
  training: boolean;
  rng: Rng;
  /** Expected output shape without the batch dimension, as promised by build. */
  outShape: number[];
  /** Number of inputs the node has (the contract passes an array when there are several). */
  multiInput: boolean;
  /**
   * A layer without backward must trace its forward through ctx.ops (default true). Only the
   * autograd comparison turns this off, to find out whether a forward is traceable.
   */
  requireTrace?: boolean;
}

/**
 * Run one layer's forward. A layer with its own backward runs without recording and is put on
 * the tape as a single operation that keeps exactly what it saved; a layer without one is traced
 * through ctx.ops and differentiated by autograd.
 */
export function runLayer(
  def: LayerDefinition,
  inputs: Tensor[],
  weights: Record<string, Tensor>,
  o: RunLayerOptions,
): Tensor {
  const dtype: DType = inputs[0]?.dtype ?? 'float32';
  const gradOn = autogradState.enabled;
  const needsIn = inputs.map((t) => gradOn && t.requiresGrad);
  const needsW: Record<string, boolean> = {};
  let anyW = false;
  for (const k in weights) {
    needsW[k] = gradOn && weights[k].requiresGrad;
    if (needsW[k]) anyW = true;
  }
  const custom = typeof def.backward === 'function';
  const anyNeeds = anyW || needsIn.some(Boolean);

  const saved: Tensor[] = [];
  const ctx = makeContext(o, dtype, saved, o.multiInput ? needsIn : (needsIn[0] ?? false), needsW);
  const x = o.multiInput ? inputs : inputs[0];

  let y: Tensor;
  try {
    y = custom ? noGrad(() => def.forward(ctx, x, weights)) : def.forward(ctx, x, weights);
  } catch (e) {
    throw wrap(e, describe(def, o, 'forward'), o);
  }
  checkOutput(def, o, y, inputs);
  if (o.source !== 'builtin') checkPluginFinite(def, o, y, inputs, weights);
  if (!custom && anyNeeds && !y.requiresGrad && o.requireTrace !== false) {
    // A forward without backward must go through ctx.ops: otherwise no gradient would reach
    // the layers below or the layer's weights, and training would go on silently wrong.
    throw new LabError(
      'GRADIENT',
      `Error in ${describe(def, o, 'forward')}: the output does not depend on the inputs or weights through ctx.ops, so autograd cannot differentiate it; compute with ctx.ops or write backward()`,
      {
        node: o.node,
        phase: 'forward',
        plugin: o.source === 'builtin' ? undefined : o.source,
        tensor: 'output',
      },
    );
  }

  if (custom && anyNeeds) {
    const weightNames = Object.keys(weights);
    const tapeInputs = [...inputs, ...weightNames.map((k) => weights[k])];
    const kept = anyNeeds ? saved.slice() : [];
    // The output must be a fresh tensor to carry this layer's gradFn.
    if (inputs.includes(y) || Object.values(weights).includes(y)) y = new Tensor(y.data, y.shape);
    record(def.type, tapeInputs, y, kept, ([gy], keptNow) => {
      const bctx = makeContext(o, dtype, keptNow.slice(), ctx.needsInputGrad, needsW);
      let result: BackwardResult;
      try {
        result = def.backward!(bctx, gy!, weights);
      } catch (e) {
        throw wrap(e, describe(def, o, 'backward'), o);
      }
      return collectGrads(def, o, result, inputs, weights, weightNames, needsIn, needsW);
    });
  }
  return y;
}

/** The ctx a layer sees. A class rather than an object of closures: it is made on every call. */
class Context implements LayerContext {
  readonly saved: Tensor[];
  constructor(
    readonly needsInputGrad: boolean | boolean[],
    readonly needsWeightGrad: Record<string, boolean>,
    readonly training: boolean,
    readonly params: Params,
    readonly node: string,
    readonly rng: Rng,
    private readonly dtype: DType,
    saved: Tensor[] = [],
  ) {
    this.saved = saved;
  }

  get ops() {
    return ops;
  }

  save(...ts: Tensor[]): void {
    for (const t of ts) this.saved.push(t);
  }

  tensor(data: ArrayLike<number>, shape: number[]): Tensor {
    return Tensor.from(data, shape, this.dtype);
  }

  zeros(shape: number[]): Tensor {
    return Tensor.zeros(shape, this.dtype);
  }
}

/** The class of every ctx, frozen with the engine's other shared objects for plugins. */
export const LAYER_CONTEXT_CLASS: abstract new (...args: never[]) => LayerContext = Context;

function makeContext(
  o: RunLayerOptions,
  dtype: DType,
  saved: Tensor[],
  needsInputGrad: boolean | boolean[],
  needsWeightGrad: Record<string, boolean>,
): LayerContext {
  return new Context(
    needsInputGrad,
    needsWeightGrad,
    o.training,
    o.params,
    o.node,
    o.rng,
    dtype,
    saved,
  );
}

/** Where a layer runs, as its messages name it. */
export interface LayerPlace {
  node: string;
  /** Plugin file name, or 'builtin'. */
  source: string;
}

/** `Wacky from plugin wacky.js (node w1) during forward`: how messages name a layer's call. */
export function describe(def: LayerDefinition, o: LayerPlace, phase: string): string {
  const plugin = o.source === 'builtin' ? '' : ` from plugin ${o.source}`;
  return `${def.type}${plugin} (node ${o.node}) during ${phase}`;
}

/** An exception from inside a layer, as a LabError naming the layer, node and phase. */
export function wrap(e: unknown, where: string, o: LayerPlace): LabError {
  if (isLabError(e) && e.place.node) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = isLabError(e) ? e.code : o.source === 'builtin' ? 'OP' : 'PLUGIN';
  const phase = where.slice(where.lastIndexOf(' ') + 1);
  const at = o.source === 'builtin' ? null : lineInFile(e, o.source);
  return new LabError(code, `Error in ${where}: ${msg}`, {
    node: o.node,
    phase,
    plugin: o.source === 'builtin' ? undefined : o.source,
    ...(at ? { line: at.line, column: at.column } : {}),
  });
}

/**
 * The line and column of a plugin file where an exception was raised, read from its stack: the
 * sandbox names each file's code by its file name (core/plugins/sandbox/compartment.ts).
 */
export function lineInFile(e: unknown, file: string): { line: number; column: number } | null {
  let stack: unknown;
  try {
    stack = (e as { stack?: unknown } | null)?.stack;
  } catch {
    return null;
  }
  if (typeof stack !== 'string') return null;
  const name = file.replace(/\s/g, '_');
  for (const frame of stack.split('\n')) {
    const i = frame.lastIndexOf(`${name}:`);
    if (i < 0) continue;
    const m = /^(\d+):(\d+)/.exec(frame.slice(i + name.length + 1));
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return null;
}

function checkOutput(def: LayerDefinition, o: RunLayerOptions, y: unknown, inputs: Tensor[]): void {
  const where = describe(def, o, 'forward');
  if (!(y instanceof Tensor)) {
    throw new LabError(
      'PLUGIN',
      `Error in ${where}: forward must return a Tensor (use ctx.zeros or ctx.tensor), got ${typeName(y)}`,
      {
        node: o.node,
        phase: 'forward',
        plugin: o.source,
      },
    );
  }
  const batch = inputs[0]?.shape[0] ?? y.shape[0];
  if (!isBatchOf(y.shape, batch, o.outShape)) {
    const want = [batch, ...o.outShape];
    throw new LabError(
      'SHAPE_MISMATCH',
      `Error in ${where}: output has shape ${formatShape(y.shape)} but build promised ${formatShape(want)} (batch first)`,
      { node: o.node, phase: 'forward', plugin: o.source, tensor: 'output' },
    );
  }
  if (y.data.length !== sizeOf(y.shape)) {
    throw new LabError('PLUGIN', `Error in ${where}: output data length does not match its shape`, {
      node: o.node,
    });
  }
}

function collectGrads(
  def: LayerDefinition,
  o: RunLayerOptions,
  result: BackwardResult,
  inputs: Tensor[],
  weights: Record<string, Tensor>,
  weightNames: string[],
  needsIn: boolean[],
  needsW: Record<string, boolean>,
): (Tensor | null)[] {
  const where = describe(def, o, 'backward');
  const fail = (tensor: string, msg: string) =>
    new LabError('GRADIENT', `Error in ${where}: ${msg}`, {
      node: o.node,
      phase: 'backward',
      plugin: o.source,
      tensor,
    });
  if (!result || typeof result !== 'object')
    throw fail(
      'x',
      `backward must return an object like { x: gx, ${weightNames.map((k) => `${k}: g${k}`).join(', ')} }`,
    );
  const gx = result.x;
  const inGrads: (Tensor | null | undefined)[] = o.multiInput
    ? Array.isArray(gx)
      ? gx
      : []
    : [gx as Tensor | null | undefined];
  const out: (Tensor | null)[] = [];
  inputs.forEach((inp, i) => {
    const name = o.multiInput ? `x[${i}]` : 'x';
    if (!needsIn[i]) return out.push(null);
    const g = inGrads[i];
    if (!(g instanceof Tensor)) throw fail(name, `the gradient for input ${name} is missing`);
    checkGradFinite(g, name, fail);
    if (!sameShape(g.shape, inp.shape))
      throw fail(
        name,
        `the gradient for input ${name} has shape ${formatShape(g.shape)}, expected ${formatShape(inp.shape)}`,
      );
    out.push(g);
  });
  for (const k of weightNames) {
    if (!needsW[k]) {
      out.push(null);
      continue;
    }
    const g = result[k];
    if (!(g instanceof Tensor)) throw fail(k, `the gradient for weight '${k}' is missing`);
    checkGradFinite(g, k, fail);
    if (!sameShape(g.shape, weights[k].shape))
      throw fail(
        k,
        `the gradient for weight '${k}' has shape ${formatShape(g.shape)}, expected ${formatShape(weights[k].shape)}`,
      );
    out.push(g);
  }
  return out;
}

/**
 * A plugin whose output is NaN or ∞ although everything it was given is finite is at fault:
 * say so here, naming it, rather than letting the loss go NaN several nodes later.
 */
function checkPluginFinite(
  def: LayerDefinition,
  o: RunLayerOptions,
  y: Tensor,
  inputs: Tensor[],
  weights: Record<string, Tensor>,
): void {
  const bad = firstNonFinite(y.data);
  if (bad < 0) return;
  if (inputs.some((t) => firstNonFinite(t.data) >= 0)) return;
  if (Object.values(weights).some((t) => firstNonFinite(t.data) >= 0)) return;
  throw new LabError(
    'NON_FINITE',
    `Error in ${describe(def, o, 'forward')}: the output is ${y.data[bad]} at flat index ${bad} although its inputs and weights are finite`,
    { node: o.node, phase: 'forward', plugin: o.source, tensor: 'output' },
  );
}

function checkGradFinite(g: Tensor, name: string, fail: (t: string, m: string) => LabError): void {
  const bad = firstNonFinite(g.data);
  if (bad >= 0) throw fail(name, `the gradient for ${name} is ${g.data[bad]} at flat index ${bad}`);
}

export function firstNonFinite(d: ArrayLike<number>): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return i;
  return -1;
}

function isBatchOf(shape: readonly number[], batch: number, rest: readonly number[]): boolean {
  if (shape.length !== rest.length + 1 || shape[0] !== batch) return false;
  for (let i = 0; i < rest.length; i++) if (shape[i + 1] !== rest[i]) return false;
  return true;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}
