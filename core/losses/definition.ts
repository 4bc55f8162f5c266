import type { Tensor } from '../tensor/tensor';
import type { Out } from '../ops/kernels/types';

/** What a loss knows about the data's targets before it sees a batch. */
export interface TargetColumns {
  /** Target columns per sample. */
  yDim: number;
  /** Set when the targets are class labels (their count). */
  numClasses?: number;
}

/** A target value a loss cannot learn from: where it is (flat index into the targets) and why. */
export interface TargetProblem {
  index: number;
  /** A whole sentence naming the loss, what it needs and what it got. */
  message: string;
}

/**
 * Everything about one loss in one place: the tape op, the flat-array kernels the op and the
 * fused training plan (core/train/chain/fused-chain.ts) both run, the targets it accepts and how they
 * are shaped. Consumers look these up on the definition; nothing switches on the loss's name.
 *
 * The kernels work on one batch: P the network output (rows × outputs per sample), Y the
 * targets as `targetShape` lays them out, S a scratch buffer of `scratchSize` values where
 * forward leaves what backward needs.
 */
export interface LossDefinition {
  type: string;
  /** Targets are free numbers (regression), so advice may suggest scaling them; not classes. */
  regression: boolean;
  /**
   * How to read the network's output as a prediction: `softmax` logits over classes (the class
   * is the largest), a `probability` per output (class 1 above 0.5), a `logit` per output
   * (probability σ(z)), or a plain `value`.
   */
  readout: 'softmax' | 'probability' | 'logit' | 'value';
  /** The op on tensors, recorded on the tape (`ops.crossEntropy` and so on). */
  op(pred: Tensor, target: Tensor): Tensor;
  /**
   * How a batch of b samples' targets is shaped for a network output of shape `outShape`
   * (without the batch) from the node `output`, or a sentence saying why these target columns
   * cannot fit it.
   */
  targetShape(
    outShape: readonly number[],
    targets: TargetColumns,
    output: string,
  ): ((b: number) => number[]) | string;
  /**
   * How many values per sample the network's output must give for these targets, and what they
   * stand for (`the data's 1 target column`); null when no one width fits. When targetShape
   * refuses, the message names the layer that sets the output's width and this width.
   */
  outputWidth(targets: TargetColumns): { width: number; what: string } | null;
  /** The first target value this loss cannot learn from (rows of `width` values), or null. */
  checkTargets(
    Y: ArrayLike<number>,
    width: number,
    outShape: readonly number[],
  ): TargetProblem | null;
  /**
   * The loss of a network that ignores its inputs and guesses the same for every sample, at an
   * output of `width` values per sample, and that guess in words; null where it depends on the
   * targets (regression). A run whose loss stays above it does worse than guessing
   * (core/train/stuck.ts).
   */
  guessing(width: number): { loss: number; what: string } | null;
  /** Scratch values forward keeps for backward, for a batch output of `outputSize` values. */
  scratchSize(outputSize: number): number;
  /** The mean loss of the batch (computed in float64); fills S for backward. */
  forward(P: ArrayLike<number>, Y: ArrayLike<number>, S: Out, rows: number): number;
  /** ∂L/∂P into G for an upstream gradient g, from P, Y and what forward left in S. */
  backward(
    P: ArrayLike<number>,
    Y: ArrayLike<number>,
    S: ArrayLike<number>,
    g: number,
    rows: number,
    G: Out,
  ): void;
}

/** The first value outside [0, 1] as a problem, or null (BCE targets, one-hot rows). */
export function firstOutsideUnit(
  Y: ArrayLike<number>,
  message: (v: number) => string,
): TargetProblem | null {
  for (let i = 0; i < Y.length; i++) {
    if (!(Y[i] >= 0 && Y[i] <= 1)) return { index: i, message: message(Y[i]) };
  }
  return null;
}
