// The rule each step of backprop applies, in the lecture's notation: h̃⁽ᵏ⁾ before and h⁽ᵏ⁾ after
// the activation, ŷ the network's output, δ⁽ᵏ⁾ = ∂L/∂h⁽ᵏ⁾ and δ̃⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾.
import type { BackpropStep } from '../../core/inspect/steps';
import type { LossType } from '../../core/losses';
import type { NodeInfo } from './inspect-types';

const SUP: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};

/** ⁽ᵏ⁾ for a layer index. */
export function sup(k: number): string {
  return `⁽${[...String(k)].map((c) => SUP[c] ?? c).join('')}⁾`;
}

const ACTIVATIONS: Record<string, { f: string; prime: string }> = {
  Sigmoid: { f: 'σ', prime: 'σ′(h̃) = h(1 − h)' },
  Tanh: { f: 'tanh', prime: 'tanh′(h̃) = 1 − h²' },
  ReLU: { f: 'relu', prime: 'relu′(h̃) = 1[h̃ > 0]' },
  LeakyReLU: { f: 'leaky', prime: 'leaky′(h̃) = 1 if h̃ > 0, else the slope' },
};

export interface StepRule {
  /** What happens, in words. */
  title: string;
  /** The formula, in the lecture's notation. */
  formula: string;
  /** More formulas (a Dense layer's weight gradients). */
  more: string[];
  /** A remark (frozen, detach, evaluation mode, a plugin). */
  note: string | null;
  /** Name of what is shown: the node's output going forward, its δ going back. */
  shows: string;
}

/** Which node is the network's output, and whether it gives logits (the loss squashes them). */
export interface Notation {
  output: string;
  logits: boolean;
}

export function notation(output: string, loss: LossType): Notation {
  return { output, logits: loss === 'CrossEntropy' || loss === 'BCEWithLogits' };
}

/** The symbol of a node's output: ŷ (or the logits z) at the output, h̃⁽ᵏ⁾ for Dense, h⁽ᵏ⁾ else. */
export function outputSymbol(n: NodeInfo, o: Notation): string {
  if (n.id === o.output) return o.logits ? 'z' : 'ŷ';
  if (n.type === 'Input') return 'x';
  return n.type === 'Dense' ? `h̃${sup(n.k)}` : `h${sup(n.k)}`;
}

/** The symbol of a node's local error: ∂L/∂ŷ at the output, δ̃⁽ᵏ⁾ for Dense, δ⁽ᵏ⁾ else. */
export function deltaSymbol(n: NodeInfo, o: Notation): string {
  if (n.id === o.output) return o.logits ? '∂L/∂z' : '∂L/∂ŷ';
  if (n.type === 'Input') return '∂L/∂x';
  return n.type === 'Dense' ? `δ̃${sup(n.k)}` : `δ${sup(n.k)}`;
}

function inputSymbol(n: NodeInfo, byId: Map<string, NodeInfo>, o: Notation, i = 0): string {
  const from = byId.get(n.inputs[i]);
  return from ? outputSymbol(from, o) : n.inputs[i];
}

function pluginName(n: NodeInfo): string {
  return `${n.type} from ${n.source.replace(/^(app|user):/, '')}`;
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
        title: 'Binary cross-entropy on the logit z (ŷ = σ(z))',
        formula: 'L = −y log σ(z) − (1 − y) log(1 − σ(z))',
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
        title: 'Softmax and cross-entropy on the logits z',
        formula: 'L = −Σ꜀ y꜀ log ŷ꜀,  ŷ = softmax(z)',
        note: 'averaged over the samples of the batch',
      };
  }
}

function forwardRule(n: NodeInfo, byId: Map<string, NodeInfo>, o: Notation): StepRule {
  const out = outputSymbol(n, o);
  const ins = n.inputs.map((_, i) => inputSymbol(n, byId, o, i));
  const base = { more: [], note: null, shows: `${out}, the output of ${n.id}` };
  const act = ACTIVATIONS[n.type];
  if (n.source !== 'builtin') {
    return {
      ...base,
      title: `Forward of the plugin layer ${pluginName(n)}`,
      formula: `${out} = ${n.type}(${ins.join(', ')})`,
      note: n.hasBackward
        ? 'its forward saves what its own backward needs (ctx.save)'
        : 'computed with ctx.ops, so autograd can run it backward',
    };
  }
  switch (n.type) {
    case 'Input':
      return {
        ...base,
        title: 'The batch enters the network',
        formula: `h${sup(0)} = x`,
        shows: 'x, the samples',
      };
    case 'Dense':
      return {
        ...base,
        title: `Dense layer ${n.k}: weights times the layer below, plus bias`,
        formula: `${out} = W${sup(n.k)} ${ins[0]} + b${sup(n.k)}`,
        note: n.frozen ? 'frozen: its weights will not be updated' : null,
      };
    case 'Softmax':
      return { ...base, title: 'Softmax over the units', formula: `${out} = softmax(${ins[0]})` };
    case 'Add':
      return { ...base, title: 'Add the inputs', formula: `${out} = ${ins.join(' + ')}` };
    case 'Concat':
      return {
        ...base,
        title: 'Join the inputs along the features',
        formula: `${out} = [${ins.join('; ')}]`,
      };
    case 'Dropout':
      return {
        ...base,
        title: 'Dropout (off: the Lab runs in evaluation mode)',
        formula: `${out} = ${ins[0]}`,
        note: 'while training it keeps each unit with probability 1 − p and scales by 1/(1 − p)',
      };
    default:
      if (act) {
        return {
          ...base,
          title: `Activation ${n.type}, unit by unit`,
          formula: `${out} = ${act.f}(${ins[0]})`,
        };
      }
      return {
        ...base,
        title: `Forward of ${n.type}`,
        formula: `${out} = ${n.type}(${ins.join(', ')})`,
      };
  }
}

function outputDelta(loss: LossType): string {
  switch (loss) {
    case 'BCE':
      return '∂L/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ))   (÷ N for the mean)';
    case 'BCEWithLogits':
      return '∂L/∂z = σ(z) − y   (÷ N for the mean)';
    case 'MSE':
      return '∂L/∂ŷ = 2 (ŷ − y)   (÷ the number of values for the mean)';
    case 'CrossEntropy':
      return 'Softmax and CrossEntropy combined: δ = ŷ − y   (÷ N for the mean)';
  }
}

function backwardRule(
  n: NodeInfo,
  byId: Map<string, NodeInfo>,
  o: Notation,
  loss: LossType,
): StepRule {
  const d = deltaSymbol(n, o);
  const isOut = n.id === o.output;
  const shows = `${d}, the local error at the output of ${n.id}`;
  const start = isOut ? outputDelta(loss) : null;
  const more = start ? [start] : [];
  const ins = n.inputs.map((s) => byId.get(s));
  const below = ins[0] ? deltaSymbol(ins[0], o) : '';
  const detach = n.detach ? 'detach: nothing is passed on to its inputs' : null;
  const base = { shows, note: detach };
  if (n.source !== 'builtin') {
    return {
      ...base,
      title: n.hasBackward
        ? `Custom backward (plugin ${pluginName(n)})`
        : `Autograd through ctx.ops (plugin ${pluginName(n)} has no backward)`,
      formula: `${below || 'δ of the inputs'} = J_${n.type}ᵀ ${d}`,
      more,
    };
  }
  const act = ACTIVATIONS[n.type];
  switch (n.type) {
    case 'Input':
      return {
        ...base,
        title: 'The error reaches the data',
        formula: '∂L/∂x: how the loss would change with each input value',
        more,
        note: 'nothing to pass on: the backward pass ends here',
      };
    case 'Dense': {
      const k = sup(n.k),
        km1 = ins[0] ? outputSymbol(ins[0], o) : `h${sup(n.k - 1)}`;
      return {
        ...base,
        title: `Dense layer ${n.k}: blame flows back through the weights`,
        formula: `${below} = W${k}ᵀ ${d}`,
        more: [
          ...more,
          n.frozen
            ? `frozen: no ∂L/∂W${k} is computed`
            : `∂L/∂W${k} = ${d} ${km1}ᵀ   (summed over the batch)`,
          ...(n.frozen ? [] : [`∂L/∂b${k} = Σ ${d}   (over the batch)`]),
        ],
      };
    }
    case 'Add':
      return {
        ...base,
        title: 'Add passes δ to every input unchanged',
        formula: ins.map((m) => (m ? deltaSymbol(m, o) : '?')).join(' = ') + ` = ${d}`,
        more,
      };
    case 'Concat':
      return {
        ...base,
        title: 'Concat splits δ between its inputs',
        formula: `[${ins.map((m) => (m ? deltaSymbol(m, o) : '?')).join('; ')}] = ${d}`,
        more,
      };
    case 'Softmax':
      return {
        ...base,
        title: 'Back through the softmax (its Jacobian mixes the units)',
        formula: `${below} = ŷ ⊙ (${d} − ⟨${d}, ŷ⟩)`,
        more,
      };
    case 'Dropout':
      return {
        ...base,
        title: 'Dropout (off) passes δ unchanged',
        formula: `${below} = ${d}`,
        more,
      };
    default:
      if (act) {
        const k = sup(n.k);
        return {
          ...base,
          title: `Back through ${n.type}: scale by its slope`,
          formula: `${below} = ${d} ⊙ ${act.f}′(h̃${k})`,
          more: [...more, act.prime],
        };
      }
      return { ...base, title: `Backward of ${n.type}`, formula: `${below} = J ᵀ ${d}`, more };
  }
}

/** The rule a step applies, for the step-by-step view. */
export function stepRule(
  step: BackpropStep,
  nodes: NodeInfo[],
  output: string,
  loss: LossType,
): StepRule {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const o = notation(output, loss);
  if (step.phase === 'loss') {
    const l = lossFormula(loss);
    return {
      title: l.title,
      formula: l.formula,
      more: [],
      note: l.note,
      shows: 'ŷ against the targets y',
    };
  }
  const n = byId.get(step.node);
  if (!n) {
    return { title: step.node, formula: '', more: [], note: null, shows: '' };
  }
  return step.phase === 'forward' ? forwardRule(n, byId, o) : backwardRule(n, byId, o, loss);
}
