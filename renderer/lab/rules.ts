// The rule each step of backprop applies, in the lecture's notation (core/inspect/lab-rules.ts
// defines it: h̃⁽ᵏ⁾ before and h⁽ᵏ⁾ after the activation, ỹ and ŷ = σ(ỹ) at the output, the
// local error δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾ at the pre-activation). Each node's rules come with it from the
// worker (its layer's Lab formulas); the loss's are written here.
import type { StepRule } from '../../core/inspect/lab-rules';
import type { BackpropStep } from '../../core/inspect/steps';
import type { LossType } from '../../core/losses';
import type { NodeInfo } from './inspect-types';

export { sup, type StepRule } from '../../core/inspect/lab-rules';

/** Which node is the network's output, and whether it gives logits (the loss squashes them). */
export interface Notation {
  output: string;
  logits: boolean;
  loss: LossType;
}

export function notation(output: string, loss: LossType): Notation {
  return { output, logits: takesLogits(loss), loss };
}

/** The loss applies σ or softmax itself: the network's output is the logits ỹ. */
export function takesLogits(loss: LossType): boolean {
  return loss === 'CrossEntropy' || loss === 'BCEWithLogits';
}

export function lossFormula(loss: LossType): { title: string; formula: string; note: string } {
  switch (loss) {
    case 'BCE':
      return {
        title: 'Binary cross-entropy on the probability ŷ',
        formula: 'L = −y log ŷ − (1 − y) log(1 − ŷ)',
        note: 'averaged over the samples of the batch',
      };
    case 'BCEWithLogits':
      return {
        title: 'Binary cross-entropy on the logit ỹ (ŷ = σ(ỹ))',
        formula: 'L = −y log σ(ỹ) − (1 − y) log(1 − σ(ỹ))',
        note: 'averaged over the samples; σ is part of the loss, which keeps it stable',
      };
    case 'MSE':
      return {
        title: 'Mean squared error',
        formula: 'L = (ŷ − y)²',
        note: 'averaged over every output of every sample',
      };
    case 'CrossEntropy':
      return {
        title: 'Softmax and cross-entropy on the logits ỹ',
        formula: 'L = −Σ꜀ y꜀ log ŷ꜀,  ŷ = softmax(ỹ)',
        note: 'averaged over the samples of the batch',
      };
  }
}

/** Where backprop starts: the loss's gradient at the network's output (`delta` its symbol). */
function outputDelta(loss: LossType, delta: string): string {
  const at = (d: string) => (delta === d ? d : `${delta} = ${d}`);
  switch (loss) {
    case 'BCE':
      return `${at('∂L/∂ŷ')} = (ŷ − y) / (ŷ (1 − ŷ))   (÷ N for the mean)`;
    case 'BCEWithLogits':
      return `${at('∂L/∂ỹ')} = σ(ỹ) − y = ŷ − y   (÷ N for the mean)`;
    case 'MSE':
      return `${at('∂L/∂ŷ')} = 2 (ŷ − y)   (÷ the number of values for the mean)`;
    case 'CrossEntropy':
      return `${at('∂L/∂ỹ')} = softmax(ỹ) − y = ŷ − y, y one-hot   (÷ N for the mean)`;
  }
}

/** The rule a step applies, for the step-by-step view. */
export function stepRule(
  step: BackpropStep,
  nodes: NodeInfo[],
  output: string,
  loss: LossType,
): StepRule {
  if (step.phase === 'loss') {
    const l = lossFormula(loss);
    return {
      title: l.title,
      formula: l.formula,
      more: [],
      note: l.note,
      shows: `${nodes.find((m) => m.id === output)?.symbol ?? 'ŷ'} against the targets y`,
    };
  }
  const n = nodes.find((m) => m.id === step.node);
  if (!n) return { title: step.node, formula: '', more: [], note: null, shows: '' };
  const rule = n.rules[step.phase];
  if (step.phase === 'forward' || n.id !== output) return rule;
  if (n.cancels) return rule;
  return { ...rule, more: [outputDelta(loss, n.deltaSymbol), ...rule.more] };
}
