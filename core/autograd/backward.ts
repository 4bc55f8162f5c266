import { Tensor, formatShape, sameShape, zerosLike } from '../tensor/tensor';
import { LabError } from '../util/errors';
import type { GradFn } from './grad-fn';
import { autogradState, noGrad } from './state';

export interface BackwardOptions {
  /** Seed gradient for `root` (default: ones, which requires root to be a single value). */
  grad?: Tensor;
  /** Non-leaf tensors whose gradient should be returned (the local errors δ of node outputs). */
  retain?: readonly Tensor[];
}

/**
 * Reverse-mode differentiation from `root`: walks the recorded operations in reverse
 * topological order, accumulates leaf gradients into `leaf.grad`, and releases each
 * operation's saved tensors as soon as its backward has run.
 *
 * @example const loss = ops.mean(ops.mul(x, w)); backward(loss); w.grad;
 */
export function backward(root: Tensor, opts: BackwardOptions = {}): Map<Tensor, Tensor> {
  return backwardMany([root], [opts.grad ?? onesLike(root)], opts.retain);
}

/** Backward from several outputs at once, each with its own seed gradient. */
export function backwardMany(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  retain?: readonly Tensor[],
): Map<Tensor, Tensor> {
  const retained = new Map<Tensor, Tensor>();
  const retainSet = retain ? new Set(retain) : null;
  const grads = new Map<GradFn, (Tensor | null)[]>();
  const starts: GradFn[] = [];
  roots.forEach((root, r) => {
    const seed = seeds[r];
    if (retainSet?.has(root)) retained.set(root, seed);
    const fn = root.gradFn;
    if (!fn) {
      if (root.requiresGrad) root.grad = root.grad ? addInto(root.grad, seed) : seed;
      return;
    }
    let slots = grads.get(fn);
    if (!slots) {
      slots = new Array(fn.outputShapes.length).fill(null);
      grads.set(fn, slots);
      starts.push(fn);
    }
    const prev = slots[root.outputIndex];
    slots[root.outputIndex] = prev ? addInto(prev, seed) : seed;
  });
  if (!starts.length) return retained;
  const seed = seeds[0];

  // Count how many consumers will send a gradient to each operation.
  const pending = new Map<GradFn, number>();
  const stack: GradFn[] = starts.slice();
  for (const fn of starts) pending.set(fn, 0);
  while (stack.length) {
    const fn = stack.pop()!;
    for (let i = 0; i < fn.inputs.length; i++) {
      const src = fn.inputs[i].gradFn;
      if (!src || !fn.needs[i]) continue;
      const c = pending.get(src);
      if (c === undefined) {
        pending.set(src, 1);
        stack.push(src);
      } else pending.set(src, c + 1);
    }
  }

  // A start that is also upstream of another start waits for that one's gradient.
  const ready: GradFn[] = starts.filter((fn) => pending.get(fn) === 0);
  const meter = autogradState.meter;

  noGrad(() => {
    while (ready.length) {
      const fn = ready.pop()!;
      const gys = grads.get(fn)!;
      grads.delete(fn);
      const saved = fn.saved;
      if (saved === null) {
        throw new LabError(
          'OP',
          `Backward through ${fn.name}${fn.node ? ` (node ${fn.node})` : ''} ran twice: its saved tensors are gone`,
          { node: fn.node ?? undefined },
        );
      }
      for (let i = 0; i < gys.length; i++) {
        if (!gys[i]) gys[i] = zerosLikeShape(seed, fn.outputShapes[i]);
      }
      const gxs = fn.backward(gys, saved, fn.needs);
      fn.saved = null;
      if (meter && saved.length) meter.release(saved);

      for (let i = 0; i < fn.inputs.length; i++) {
        if (!fn.needs[i]) continue;
        const x = fn.inputs[i];
        const gx = gxs[i];
        if (!gx) {
          throw new LabError('GRADIENT', `${fn.name}: no gradient returned for input ${i}`, {
            node: fn.node ?? undefined,
          });
        }
        if (!sameShape(gx.shape, x.shape)) {
          throw new LabError(
            'GRADIENT',
            `${fn.name}: gradient for input ${i} has shape ${formatShape(gx.shape)}, expected ${formatShape(x.shape)}`,
            { node: fn.node ?? undefined },
          );
        }
        if (retainSet?.has(x)) {
          const prev = retained.get(x);
          retained.set(x, prev ? addInto(prev, gx) : gx);
        }
        const src = x.gradFn;
        if (!src) {
          x.grad = x.grad ? addInto(x.grad, gx) : gx;
          continue;
        }
        let slots = grads.get(src);
        if (!slots) {
          slots = new Array(src.outputShapes.length).fill(null);
          grads.set(src, slots);
        }
        const prev = slots[x.outputIndex];
        slots[x.outputIndex] = prev ? addInto(prev, gx) : gx;
        const left = pending.get(src)! - 1;
        pending.set(src, left);
        if (left === 0) ready.push(src);
      }
    }
  });
  return retained;
}

function onesLike(t: Tensor): Tensor {
  if (t.size !== 1) {
    throw new LabError('OP', `backward() needs a single value or an explicit gradient; got ${t}`);
  }
  const g = zerosLike(t);
  g.data[0] = 1;
  return g;
}

function zerosLikeShape(like: Tensor, shape: readonly number[]): Tensor {
  return zerosLike(like, shape.slice());
}

/** a + b as a new tensor: gradients may alias each other, so they are never summed in place. */
function addInto(a: Tensor, b: Tensor): Tensor {
  const out = zerosLike(a);
  const o = out.data,
    x = a.data,
    y = b.data;
  for (let i = 0; i < o.length; i++) o[i] = x[i] + y[i];
  return new Tensor(o, a.shape);
}
