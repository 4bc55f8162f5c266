// A layer's Lab formulas: what the Lab shows of it in the lecture's notation. h̃⁽ᵏ⁾ is a layer's
// value before its activation and h⁽ᵏ⁾ after, ŷ the network's output (z when it gives logits),
// δ⁽ᵏ⁾ = ∂L/∂h⁽ᵏ⁾ and δ̃⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾. core/inspect/lab-rules.ts turns these into the rule of
// every step of "Step by step"; a layer without them gets a generic rule.
import type { Params } from './contract';

/** What a formula is told about its node, symbols already in the lecture's notation. */
export interface LabContext {
  readonly node: string;
  readonly type: string;
  readonly params: Readonly<Params>;
  /** The lecture's layer index k (the Input is 0, each linear layer starts the next). */
  readonly k: number;
  /** k as a superscript: ⁽ᵏ⁾. */
  readonly sup: string;
  /** The symbol of this node's output: h⁽ᵏ⁾, h̃⁽ᵏ⁾, or ŷ / z at the network's output. */
  readonly out: string;
  /** The symbols of its inputs' outputs, in order. */
  readonly ins: readonly string[];
  /** The symbol of the local error at its output: δ⁽ᵏ⁾, δ̃⁽ᵏ⁾, or ∂L/∂ŷ at the output. */
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
  /** The rule of its forward step. */
  forward?(ctx: LabContext): LabRule;
  /** The rule of its backward step. */
  backward?(ctx: LabContext): LabRule;
}
