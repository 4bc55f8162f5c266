import type { GradFn } from '../autograd/grad-fn';
import { arenaState } from './arena';

/** Float32 in training; Float64 inside a gradient check, so that finite differences are exact enough. */
export type TensorData = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/**
 * An n-dimensional array, row-major, batch first.
 *
 * @example const t = Tensor.from([1, 2, 3, 4], [2, 2]); t.shape; // [2, 2]
 */
export class Tensor {
  readonly shape: number[];
  readonly data: TensorData;
  /** True for leaves whose gradient is wanted (trainable weights) and for everything computed from them. */
  requiresGrad: boolean;
  /** How this tensor was computed, when a gradient must flow through it. */
  gradFn: GradFn | null = null;
  /** Which output of gradFn this is. */
  outputIndex = 0;
  /** Accumulated gradient of a leaf after backward. */
  grad: Tensor | null = null;
  /** A weight: held for its whole life, so never counted as memory kept for backward. */
  isParam = false;

  constructor(data: TensorData, shape: number[], requiresGrad = false) {
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new Error(
        `Tensor data has ${data.length} values but shape [${shape.join(', ')}] needs ${n}`,
      );
    }
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
  }

  static from(values: ArrayLike<number>, shape: number[], dtype: DType = 'float32'): Tensor {
    const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
    return new Tensor(data, shape.slice());
  }

  static zeros(shape: number[], dtype: DType = 'float32'): Tensor {
    const n = sizeOf(shape);
    return new Tensor(
      dtype === 'float64' ? new Float64Array(n) : new Float32Array(n),
      shape.slice(),
    );
  }

  get size(): number {
    return this.data.length;
  }

  get dtype(): DType {
    return this.data instanceof Float64Array ? 'float64' : 'float32';
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A new tensor with the same values that is cut from the autograd graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  toString(): string {
    return `Tensor[${this.shape.join(', ')}]`;
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A zero tensor with the same dtype as `like`. */
export function zerosLike(like: Tensor, shape: number[] = like.shape): Tensor {
  return new Tensor(allocLike(like, sizeOf(shape)), shape.slice());
}

/** A zeroed buffer with the same dtype as `like` (from the step's arena while one is active). */
export function allocLike(like: Tensor | TensorData, n: number): TensorData {
  const d = like instanceof Tensor ? like.data : like;
  if (d instanceof Float64Array) return new Float64Array(n);
  const arena = arenaState.current;
  return arena ? arena.f32(n) : new Float32Array(n);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
