import { formatScientific } from '../util/number-format';
import { backward } from '../autograd/backward';
import { resolveParams } from '../graph/params';
import type { LayerDefinition } from '../layers/contract';
import type { FusedShapes, FusedStep } from '../layers/fused';
import { runLayer } from '../layers/run';
import { Tensor, formatShape, sizeOf } from '../tensor/tensor';
import { Rng } from '../util/rng';
import type { CompareOptions } from './autograd-check';

/** A fused kernel against its layer's own forward and backward, run when the plugin loads. */
export interface FusedCheck {
  /** It computes what forward and backward compute: training may take the fused path. */
  ok: boolean;
  /** Not only close: the same float32 bits, so fused and tape training give the same weights. */
  identical: boolean;
  /** Largest |fused − tape| over the output, the input gradient and the weight gradients. */
  maxAbsDiff: number;
  /**
   * Where the largest difference (or the failure) is: `y`, `x` or a weight name, or `evaluate`
   * for the output of the kernel's evaluate against forward in evaluation mode.
   */
  tensor?: string;
  message: string;
}

/**
 * Run a layer's fused kernel and its forward and backward (on the tape) on the same random
 * float32 inputs, weights, upstream gradient and random draws, and compare everything the
 * kernel writes. The kernel's buffers start full of NaN, as stale buffers would be, so a kernel
 * that leaves an element unwritten fails here rather than in training. It is also run as it is
 * for a frozen node (no weight gradients) and a first layer (no input gradient). A kernel's
 * `evaluate` is compared with forward in evaluation mode (`ctx.training` false). Null when the
 * layer has no fused kernel.
 */
export function checkFusedKernel(def: LayerDefinition, o: CompareOptions): FusedCheck | null {
  const kernel = def.fused;
  if (!kernel) return null;
  const fail = (message: string, tensor?: string): FusedCheck => ({
    ok: false,
    identical: false,
    maxAbsDiff: Infinity,
    ...(tensor ? { tensor } : {}),
    message,
  });
  const { params } = resolveParams(def.params, o.params);
  const built = def.build({ inShapes: o.inShapes.map((s) => s.slice()), params });
  const weightsOut = built.weights ?? {};
  const shapes: FusedShapes = {
    inShape: o.inShapes[0].slice(),
    outShape: built.outShape.slice(),
    params,
    weightShapes: Object.fromEntries(
      Object.entries(weightsOut).map(([k, w]) => [k, w.shape.slice()]),
    ),
  };
  const at = `input shape ${formatShape(o.inShapes[0])}`;
  let scratch: number;
  try {
    if (kernel.fits && kernel.fits(shapes) !== true)
      return fail(`its fits() refuses the check's ${at}: declare gradcheck.inShapes where it fits`);
    scratch = kernel.scratch ? kernel.scratch(shapes) : 0;
  } catch (e) {
    return fail(`its fits() or scratch() failed: ${message(e)}`);
  }
  if (!Number.isInteger(scratch) || scratch < 0)
    return fail(`its scratch() must give a whole number of values per sample, got ${scratch}`);

  const batch = o.batch ?? 2;
  const rng = new Rng(o.seed ?? 1);
  const inSize = sizeOf(o.inShapes[0]);
  const outSize = sizeOf(built.outShape);
  const random = (n: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1));
  const x = random(batch * inSize);
  const weights = Object.fromEntries(
    Object.entries(weightsOut).map(([k, w]) => [k, random(sizeOf(w.shape))]),
  );
  const gy = random(batch * outSize);
  const drawSeed = rng.nextUint32();

  // The tape: forward, then backward from gy.
  const xT = new Tensor(x.slice(), [batch, ...o.inShapes[0]], true);
  const wT = Object.fromEntries(
    Object.entries(weights).map(([k, d]) => [
      k,
      new Tensor(d.slice(), weightsOut[k].shape.slice(), true),
    ]),
  );
  let tape: {
    y: Float32Array;
    gx: Float32Array | null;
    grads: Record<string, Float32Array | null>;
  };
  try {
    const y = runLayer(def, [xT], wT, {
      node: 'fused-check',
      source: o.source ?? 'builtin',
      params,
      training: true,
      rng: new Rng(drawSeed),
      outShape: built.outShape,
      multiInput: false,
    });
    if (y.requiresGrad) backward(y, { grad: new Tensor(gy.slice(), y.shape.slice()) });
    tape = {
      y: Float32Array.from(y.data),
      gx: xT.grad ? Float32Array.from(xT.grad.data) : null,
      grads: Object.fromEntries(
        Object.entries(wT).map(([k, t]) => [k, t.grad ? Float32Array.from(t.grad.data) : null]),
      ),
    };
  } catch (e) {
    return fail(`its forward and backward, to compare with, failed: ${message(e)}`);
  }
  let tapeEval: Float32Array | null = null;
  if (kernel.evaluate) {
    try {
      const y = runLayer(
        def,
        [new Tensor(x.slice(), [batch, ...o.inShapes[0]])],
        Object.fromEntries(
          Object.entries(weights).map(([k, d]) => [k, new Tensor(d.slice(), weightsOut[k].shape)]),
        ),
        {
          node: 'fused-check',
          source: o.source ?? 'builtin',
          params,
          training: false,
          rng: new Rng(drawSeed),
          outShape: built.outShape,
          multiInput: false,
        },
      );
      tapeEval = Float32Array.from(y.data);
    } catch (e) {
      return fail(`its forward in evaluation mode, to compare with, failed: ${message(e)}`);
    }
  }

  const step = (wantGx: boolean, wantGrads: boolean): FusedStep => ({
    ...shapes,
    batch,
    inSize,
    outSize,
    x: x.slice(),
    y: new Float32Array(batch * outSize).fill(NaN),
    weights: Object.fromEntries(Object.entries(weights).map(([k, d]) => [k, d.slice()])),
    scratch: scratch > 0 ? new Float32Array(batch * scratch).fill(NaN) : null,
    rng: new Rng(drawSeed),
    gy: gy.slice(),
    gx: wantGx ? new Float32Array(batch * inSize).fill(NaN) : null,
    grads: Object.fromEntries(
      Object.entries(weights).map(([k, d]) => [
        k,
        wantGrads ? new Float32Array(d.length).fill(NaN) : null,
      ]),
    ),
  });
  const run = (s: FusedStep): string | null => {
    for (const phase of ['forward', 'backward'] as const) {
      try {
        kernel[phase].call(kernel, s);
      } catch (e) {
        return `its ${phase} failed: ${message(e)}`;
      }
    }
    return null;
  };
  const full = step(true, true);
  const problem = run(full);
  if (problem) return fail(problem);
  for (const [wantGx, wantGrads, what] of [
    [false, true, 'as a first layer (no input gradient)'],
    [true, false, 'for a frozen node (no weight gradients)'],
  ] as const) {
    const s = step(wantGx, wantGrads);
    const p = run(s);
    if (p) return fail(`${p} ${what}`);
    if (!same(s.y, full.y)) return fail(`its output differs ${what}`, 'y');
  }

  const pairs: [string, Float32Array, Float32Array | null][] = [['y', full.y, tape.y]];
  if (tapeEval) {
    const s = step(false, false);
    try {
      kernel.evaluate!.call(kernel, s);
    } catch (e) {
      return fail(`its evaluate failed: ${message(e)}`);
    }
    pairs.push(['evaluate', s.y, tapeEval]);
  }
  if (tape.gx) pairs.push(['x', full.gx!, tape.gx]);
  for (const [k, g] of Object.entries(full.grads))
    if (tape.grads[k]) pairs.push([k, g!, tape.grads[k]]);
  let worst = 0,
    where = '',
    ok = true,
    identical = true;
  for (const [name, fused, want] of pairs) {
    for (let i = 0; i < want!.length; i++) {
      const d = Math.abs(fused[i] - want![i]);
      if (!(d <= worst)) {
        worst = Number.isNaN(d) ? Infinity : d;
        where = name;
      }
      if (!(d <= 1e-6 + 1e-5 * Math.abs(want![i]))) ok = false;
      if (!Object.is(fused[i], want![i]) && !(fused[i] === 0 && want![i] === 0)) identical = false;
    }
  }
  const tensor = where || undefined;
  return {
    ok,
    identical,
    maxAbsDiff: worst,
    ...(tensor ? { tensor } : {}),
    message: ok
      ? identical
        ? 'fused kernel gives what forward and backward give, bit for bit'
        : `fused kernel agrees with forward and backward (max difference ${formatScientific(worst)})`
      : where === 'evaluate'
        ? `fused kernel's evaluate differs from forward in evaluation mode by up to ${formatScientific(worst, 4)} (${at}): training uses the tape for this layer`
        : `fused kernel differs from forward and backward in ${where} by up to ${formatScientific(worst, 4)} (${at}): training uses the tape for this layer`,
  };
}

function same(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
