import { inputCountRule } from '../graph/checker';
import { resolveParams } from '../graph/params';
import type { BuildResult, LayerDefinition } from '../layers/contract';
import { arity } from '../layers/contract';
import { runLayer } from '../layers/run';
import { checkGradcheckBudget } from '../graph/budget';
import { formatShape, sizeOf } from '../tensor/tensor';
import { Rng } from '../util/rng';
import { type CheckedLeaf, runCheck } from './check';
import { awayFromZero } from './sample';
import type { GradcheckLayerOptions, GradcheckResult } from './types';

/**
 * Check a layer's gradients (built-in or plugin) against central differences, in float64.
 * The layer runs through runLayer exactly as in training, so a custom backward, what it saves
 * and an autograd-traced forward are all covered. Weights get random values, not the layer's
 * init, so that an init such as 'ones' cannot hide a mistake.
 *
 * @example gradcheckLayer(wacky, { inShapes: [[4]] }).ok
 */
export function gradcheckLayer(def: LayerDefinition, opts: GradcheckLayerOptions): GradcheckResult {
  try {
    return checkLayer(def, opts);
  } catch (e) {
    // Only a malformed definition gets here (say, a plugin whose export is not a layer).
    const layer = typeof def?.type === 'string' ? def.type : '(unnamed layer)';
    return { ok: false, layer, tensors: [], error: `Error in ${layer}: ${message(e)}` };
  }
}

function checkLayer(def: LayerDefinition, opts: GradcheckLayerOptions): GradcheckResult {
  const node = opts.node ?? 'gradcheck';
  const source = opts.source ?? 'builtin';
  const label = typeof def?.type === 'string' ? def.type : '(unnamed layer)';
  const plugin = source === 'builtin' ? '' : ` from plugin ${source}`;
  const where = `${label}${plugin} (node ${node})`;
  const fail = (error: string): GradcheckResult => ({
    ok: false,
    layer: label,
    tensors: [],
    error,
  });

  const { min, max } = arity(def);
  const n = opts.inShapes.length;
  if (n < min || n > max) {
    return fail(`Error in ${where}: ${inputCountRule({ min, max })}, got ${n} input shape(s)`);
  }
  const { params, problems } = resolveParams(def.params, opts.params);
  if (problems.length) {
    return fail(
      `Error in ${where}: ${problems.map((p) => `params.${p.key}: ${p.message}`).join('; ')}`,
    );
  }
  let built: BuildResult;
  try {
    built = def.build({ inShapes: opts.inShapes.map((s) => s.slice()), params });
    const ok = Array.isArray(built?.outShape) && built.outShape.every(isPositiveInt);
    if (!ok) throw new Error(`build returned outShape ${JSON.stringify(built?.outShape)}`);
    for (const [k, w] of Object.entries(built.weights ?? {})) {
      if (!Array.isArray(w?.shape) || !w.shape.every(isPositiveInt))
        throw new Error(`weight '${k}' has shape ${JSON.stringify(w?.shape)}`);
    }
  } catch (e) {
    const shapes = opts.inShapes.map(formatShape).join(', ');
    return fail(`Error in ${where} during build (input shapes ${shapes}): ${message(e)}`);
  }

  const batch = opts.batch ?? 2;
  // Refused before anything is allocated when too big (core/graph/budget.ts).
  try {
    checkGradcheckBudget(`Error in ${where}`, {
      inputs: batch * opts.inShapes.reduce((a, s) => a + sizeOf(s), 0),
      weights: Object.values(built.weights ?? {}).reduce((a, w) => a + sizeOf(w.shape), 0),
      outputs: batch * sizeOf(built.outShape),
    });
  } catch (e) {
    return { ...fail(message(e)), refused: 'BUDGET' };
  }
  const rng = new Rng(opts.seed ?? 0);
  const inputs = opts.inShapes.map((s) => awayFromZero([batch, ...s], rng));
  const weights = Object.fromEntries(
    Object.entries(built.weights ?? {}).map(([k, w]) => [k, awayFromZero(w.shape, rng)]),
  );
  // One generator state for every evaluation, so dropout draws the same mask each time.
  const layerRng = new Rng(rng.nextUint32());
  const multiInput = n > 1;
  const leaves: CheckedLeaf[] = [
    ...inputs.map((t, i) => ({ name: multiInput ? `x[${i}]` : 'x', tensor: t })),
    ...Object.entries(weights).map(([k, t]) => ({ name: k, tensor: t })),
  ];
  const forward = () =>
    runLayer(def, inputs, weights, {
      node,
      source,
      params,
      training: opts.training ?? true,
      rng: layerRng.clone(),
      outShape: built.outShape,
      multiInput,
    });
  const settings = { eps: opts.eps ?? 1e-6, atol: opts.atol ?? 1e-5, rtol: opts.rtol ?? 1e-3 };
  return runCheck(label, `Error in ${where}`, leaves, forward, settings, rng);
}

function isPositiveInt(d: unknown): boolean {
  return Number.isInteger(d) && (d as number) > 0;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
