import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../../../../renderer/lab/inspect-types';
import { lossFormula, stepRule, sup } from '../../../../renderer/lab/rules';

function node(
  id: string,
  type: string,
  k: number,
  inputs: string[],
  over: Partial<NodeInfo> = {},
): NodeInfo {
  return {
    id,
    type,
    k,
    inputs,
    outShape: [4],
    source: 'builtin',
    entry: type === 'Input',
    hasBackward: false,
    frozen: false,
    detach: false,
    memory: 'store',
    trainable: true,
    ...over,
  };
}

// x → fc1 → h1 (Tanh) → fc2 → y (Sigmoid), the XOR example.
const MLP = [
  node('x', 'Input', 0, []),
  node('fc1', 'Dense', 1, ['x']),
  node('h1', 'Tanh', 1, ['fc1']),
  node('fc2', 'Dense', 2, ['h1']),
  node('y', 'Sigmoid', 2, ['fc2']),
];
const fwd = (id: string, nodes = MLP, loss: 'BCE' | 'CrossEntropy' = 'BCE', out = 'y') =>
  stepRule({ phase: 'forward', node: id }, nodes, out, loss);
const bwd = (id: string, nodes = MLP, loss: 'BCE' | 'CrossEntropy' | 'MSE' = 'BCE', out = 'y') =>
  stepRule({ phase: 'backward', node: id }, nodes, out, loss);

describe('the rules in the lecture’s notation', () => {
  it('writes layer indices as superscripts', () => {
    expect(sup(1)).toBe('⁽¹⁾');
    expect(sup(12)).toBe('⁽¹²⁾');
    expect(sup(-1)).toBe('⁽⁻¹⁾');
  });

  it('forward: Dense, activation, and the output ŷ', () => {
    expect(fwd('x').formula).toBe('h⁽⁰⁾ = x');
    expect(fwd('fc1').formula).toBe('h̃⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾');
    expect(fwd('h1').formula).toBe('h⁽¹⁾ = tanh(h̃⁽¹⁾)');
    expect(fwd('fc2').formula).toBe('h̃⁽²⁾ = W⁽²⁾ h⁽¹⁾ + b⁽²⁾');
    expect(fwd('y').formula).toBe('ŷ = σ(h̃⁽²⁾)');
  });

  it('the loss', () => {
    expect(stepRule({ phase: 'loss' }, MLP, 'y', 'BCE').formula).toBe(
      'L = −y log ŷ − (1 − y) log(1 − ŷ)',
    );
    expect(lossFormula('CrossEntropy').formula).toMatch(/softmax/);
  });

  it('backward: δ at the output, through the activation, through Dense', () => {
    const y = bwd('y');
    expect(y.formula).toBe('δ̃⁽²⁾ = ∂L/∂ŷ ⊙ σ′(h̃⁽²⁾)');
    expect(y.more[0]).toBe('∂L/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ))   (÷ N for the mean)');
    expect(bwd('fc2').formula).toBe('δ⁽¹⁾ = W⁽²⁾ᵀ δ̃⁽²⁾');
    expect(bwd('fc2').more).toEqual([
      '∂L/∂W⁽²⁾ = δ̃⁽²⁾ h⁽¹⁾ᵀ   (summed over the batch)',
      '∂L/∂b⁽²⁾ = Σ δ̃⁽²⁾   (over the batch)',
    ]);
    expect(bwd('h1').formula).toBe('δ̃⁽¹⁾ = δ⁽¹⁾ ⊙ tanh′(h̃⁽¹⁾)');
    expect(bwd('h1').more).toEqual(['tanh′(h̃) = 1 − h²']);
    expect(bwd('x').note).toMatch(/backward pass ends here/);
  });

  it('Softmax and CrossEntropy combined: δ = ŷ − y on the logits z', () => {
    const nodes = [node('x', 'Input', 0, []), node('out', 'Dense', 1, ['x'])];
    expect(fwd('out', nodes, 'CrossEntropy', 'out').formula).toBe('z = W⁽¹⁾ x + b⁽¹⁾');
    const b = bwd('out', nodes, 'CrossEntropy', 'out');
    expect(b.formula).toBe('∂L/∂x = W⁽¹⁾ᵀ ∂L/∂z');
    expect(b.more[0]).toBe('Softmax and CrossEntropy combined: δ = ŷ − y   (÷ N for the mean)');
  });

  it('merges: Add passes δ to every input, Concat splits it', () => {
    const nodes = [
      node('x', 'Input', 0, []),
      node('a', 'Dense', 1, ['x']),
      node('b', 'Tanh', 0, ['x']),
      node('sum', 'Add', 1, ['a', 'b']),
      node('cat', 'Concat', 1, ['a', 'b']),
    ];
    expect(fwd('sum', nodes, 'BCE', 'cat').formula).toBe('h⁽¹⁾ = h̃⁽¹⁾ + h⁽⁰⁾');
    expect(bwd('sum', nodes, 'BCE', 'cat').formula).toBe('δ̃⁽¹⁾ = δ⁽⁰⁾ = δ⁽¹⁾');
    expect(bwd('sum', nodes, 'BCE', 'cat').title).toMatch(/passes δ to every input/);
    expect(bwd('cat', nodes, 'BCE', 'cat').title).toMatch(/splits δ/);
  });

  it('plugins: a custom backward, or autograd through ctx.ops', () => {
    const nodes = [
      node('x', 'Input', 0, []),
      node('w', 'Wacky', 0, ['x'], { source: 'app:wacky.js', hasBackward: true }),
      node('s', 'Swish', 0, ['w'], { source: 'user:swish.ts', hasBackward: false }),
    ];
    expect(bwd('w', nodes, 'MSE', 's').title).toBe('Custom backward (plugin Wacky from wacky.js)');
    expect(bwd('s', nodes, 'MSE', 's').title).toBe(
      'Autograd through ctx.ops (plugin Swish from swish.ts has no backward)',
    );
  });

  it('says when a layer is frozen or detached', () => {
    const nodes = MLP.map((n) => (n.id === 'fc1' ? { ...n, frozen: true, detach: true } : n));
    expect(bwd('fc1', nodes).more).toEqual(['frozen: no ∂L/∂W⁽¹⁾ is computed']);
    expect(bwd('fc1', nodes).note).toMatch(/detach: nothing is passed on/);
    expect(fwd('fc1', nodes).note).toMatch(/frozen/);
  });
});
