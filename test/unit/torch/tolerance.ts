// How close our engine must come to PyTorch, and the comparison that says where it does not.
import { expect } from 'vitest';
import { formatShape } from '../../../core/tensor/tensor';
import type { FixtureTensor } from './fixtures';

/** |got − want| ≤ atol + rtol·|want| for every element. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * One op in float32 against torch's float64 result from the same float32 inputs: a handful of
 * float32 roundings (ε ≈ 6e-8) plus short sums, so 1e-4 relative leaves ample room.
 */
export const FLOAT32_OP: Tolerance = { atol: 1e-5, rtol: 1e-4 };

/**
 * The same op run in float64: the only differences are summation order and the 12 significant
 * digits the fixture keeps.
 */
export const FLOAT64_OP: Tolerance = { atol: 1e-12, rtol: 1e-9 };

/**
 * Loss and weights after each of five optimizer steps in float32, against torch in float32.
 * Errors could grow step by step (and Adam divides by √v, which can enlarge a gradient's relative
 * error), so the cases are chosen not to sit on a rounding knife-edge: the generator checks that
 * torch's own float32 and float64 runs of each one stay within 2e-6 (they differ by at most
 * 1.2e-7). Our engine then comes within 1.3e-7 of torch on every weight; the single-op bounds
 * leave room for harmless changes of rounding order without loosening them.
 */
export const FLOAT32_TRAINING: Tolerance = { atol: 1e-5, rtol: 1e-4 };

/** null when `got` is within `tol` of `want`, else the worst element with both values. */
export function mismatch(
  got: ArrayLike<number>,
  want: readonly number[],
  tol: Tolerance,
): string | null {
  if (got.length !== want.length) return `${got.length} values, expected ${want.length}`;
  let worst = -1,
    worstExcess = 0,
    bad = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const excess = err - (tol.atol + tol.rtol * Math.abs(want[i]));
    if (excess > 0 || Number.isNaN(err)) {
      bad++;
      if (worst < 0 || excess > worstExcess || Number.isNaN(err)) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (worst < 0) return null;
  return (
    `${bad} of ${want.length} values off; worst at [${worst}]: got ${got[worst]}, ` +
    `torch ${want[worst]} (|diff| ${Math.abs(got[worst] - want[worst]).toExponential(2)}, ` +
    `allowed ${tol.atol} + ${tol.rtol}·|torch|)`
  );
}

/** Expect a tensor (or a weight's values) to match a fixture tensor in shape and values. */
export function expectClose(
  got: { shape: readonly number[]; data: ArrayLike<number> } | null | undefined,
  want: FixtureTensor,
  tol: Tolerance,
  label: string,
): void {
  expect(got, `${label}: missing`).toBeTruthy();
  expect(formatShape(got!.shape), `${label}: shape`).toBe(formatShape(want.shape));
  const msg = mismatch(got!.data, want.data, tol);
  if (msg) expect.fail(`${label}: ${msg}`);
}

/** Expect a single number to match. */
export function expectNumberClose(got: number, want: number, tol: Tolerance, label: string): void {
  const msg = mismatch([got], [want], tol);
  if (msg) expect.fail(`${label}: ${msg}`);
}
