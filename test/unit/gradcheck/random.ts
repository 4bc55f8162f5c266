import { expect } from 'vitest';
import { formatGradcheck, type GradcheckResult } from '../../../core/gradcheck';
import { Tensor, sizeOf } from '../../../core/tensor/tensor';
import { Rng } from '../../../core/util/rng';

/** Seeded test data: shapes and values are random but the same on every run. */
export class Draw {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** A dimension in 2..4. */
  dim(): number {
    return 2 + this.rng.int(3);
  }

  /** |v| in [0.1, 1] with a random sign: clear of kinks at 0. */
  signed(shape: number[]): Tensor {
    return this.fill(shape, () => (this.rng.uniform() < 0.5 ? -1 : 1) * this.rng.range(0.1, 1));
  }

  between(shape: number[], lo: number, hi: number): Tensor {
    return this.fill(shape, () => this.rng.range(lo, hi));
  }

  /** Away from zero in both directions, for divisors. */
  divisor(shape: number[]): Tensor {
    return this.fill(shape, () => (this.rng.uniform() < 0.5 ? -1 : 1) * this.rng.range(0.5, 1.5));
  }

  /** Hard 0/1 targets. */
  bits(shape: number[]): Tensor {
    return this.fill(shape, () => (this.rng.uniform() < 0.5 ? 0 : 1));
  }

  /** Class indices in 0..k−1, shaped [n] or [n, 1]. */
  classes(shape: number[], k: number): Tensor {
    return this.fill(shape, () => this.rng.int(k));
  }

  /** One-hot rows [n, k]. */
  oneHot(n: number, k: number): Tensor {
    const t = Tensor.zeros([n, k], 'float64');
    for (let i = 0; i < n; i++) t.data[i * k + this.rng.int(k)] = 1;
    return t;
  }

  private fill(shape: number[], f: () => number): Tensor {
    return Tensor.from(Array.from({ length: sizeOf(shape) }, f), shape, 'float64');
  }
}

/** Pass, or fail the test with the whole table so the failing element is in the log. */
export function expectPass(r: GradcheckResult, tensors?: number): void {
  if (!r.ok) throw new Error(formatGradcheck(r));
  expect(r.error).toBeUndefined();
  if (tensors !== undefined) expect(r.tensors).toHaveLength(tensors);
}
