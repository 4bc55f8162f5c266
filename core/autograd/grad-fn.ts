import type { Tensor } from '../tensor/tensor';

/**
 * Gradients for each output of an operation in, gradients for each input out.
 * `needs[i]` says whether input i wants one; return null where it does not.
 */
export type BackwardRule = (
  grads: (Tensor | null)[],
  saved: readonly Tensor[],
  needs: readonly boolean[],
) => (Tensor | null)[];

/** One recorded operation on the tape: what it consumed, what it kept, how to go back. */
export interface GradFn {
  /** The op or layer that recorded it (used in error messages). */
  readonly name: string;
  /** The graph node it belongs to, for memory accounting and error messages. */
  readonly node: string | null;
  readonly inputs: readonly Tensor[];
  readonly needs: readonly boolean[];
  readonly outputShapes: readonly (readonly number[])[];
  /** Tensors held for backward; dropped as soon as backward has run. */
  saved: Tensor[] | null;
  /**
   * For each saved tensor, the inputs whose gradient backward computes from it (linear keeps x
   * for W's gradient and W for x's). Absent: every input that wants a gradient. It only tells
   * the memory view why a tensor is kept.
   */
  readonly serves?: readonly (readonly number[])[];
  readonly backward: BackwardRule;
}
