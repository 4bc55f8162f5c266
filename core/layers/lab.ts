// A layer's Lab formulas: what the Lab shows of it in the lecture's notation (1-based layers):
// x the input, h̃⁽ᵏ⁾ = W⁽ᵏ⁾h⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾ a linear layer's pre-activation, h⁽ᵏ⁾ = σ(h̃⁽ᵏ⁾) the value
// after it, ỹ and ŷ = σ(ỹ) the last pre-activation and the network's output (ỹ when the loss
// takes logits), and the local error δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾, at the pre-activation; the error at any
// other value is written plainly (∂L/∂h⁽ᵏ⁾, ∂L/∂ŷ). core/inspect/lab-rules.ts turns these into
// the rule of every step of "Step by step"; a layer without them gets a generic rule.
import type { Params } from './contract';

/** What a formula is told about its node, symbols already in the lecture's notation. */
export interface LabContext {
  readonly node: string;
  readonly type: string;
  readonly params: Readonly<Params>;
  /** The lecture's layer index k (the Input is 0, the first linear layer 1, each starts the next). */
  readonly k: number;
  /** k as a superscript: ⁽ᵏ⁾. */
  readonly sup: string;
  /** The symbol of this node's output: x, h̃⁽ᵏ⁾, h⁽ᵏ⁾, ỹ, or ŷ at the network's output. */
  readonly out: string;
  /** The symbols of its inputs' outputs, in order. */
  readonly ins: readonly string[];
  /** The loss's gradient at its output: δ⁽ᵏ⁾ for a linear layer, else ∂L/∂h⁽ᵏ⁾, ∂L/∂ŷ, ∂L/∂x. */
  readonly delta: string;
  /** The symbols of its inputs' local errors, in order (what its backward passes on). */
  readonly inDeltas: readonly string[];
  /** Its weights' names. */
  readonly weights: readonly string[];
  readonly frozen: boolean;
  readonly detach: boolean;
}

/** One step's rule: what happens, the formula, and more formulas or a remark if any. */
export interface LabRule {
  title: string;
  formula: string;
  more?: string[];
  note?: string;
  /** What the step shows, if not the node's output (forward) or its local error (backward). */
  shows?: string;
}

/** The `lab` capability of a layer definition. */
export interface LabFormulas {
  /**
   * The layer is y = W·x (+ b) with W the weight named here, of shape [out, in]. It starts a
   * layer of the lecture's notation (its output is h̃⁽ᵏ⁾); the Blame view shows how it passes δ
   * back through W, connection by connection, the Forward view draws W as lines between
   * neurons, and the Jacobian view shows J = J_act · W for an activation after it.
   */
  linear?: { weight: string };
  /** Each output is one of its input's units (an activation, dropout): drawn in its column. */
  sameUnits?: boolean;
  /**
   * At the network's output, the loss whose gradient this layer's derivative cancels, and the
   * rule of its backward step then (BCE on a sigmoid: δ = ∂L/∂ŷ ⊙ σ′(ỹ) = ŷ − y).
   */
  cancels?: { loss: string; backward(ctx: LabContext): LabRule };
  /** The rule of its forward step. */
  forward?(ctx: LabContext): LabRule;
  /** The rule of its backward step. */
  backward?(ctx: LabContext): LabRule;
}
