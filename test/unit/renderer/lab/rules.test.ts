// The rules of "Step by step" in the lecture's notation: each node's from its layer's Lab
// formulas (computed by core, where the layers' code is), the loss's and the start of backprop
// from the loss.
import { describe, expect, it } from 'vitest';
import type { LayerDefinition } from '../../../../core/layers/contract';
import type { LossType } from '../../../../core/losses';
import { lossFormula, stepRule, sup } from '../../../../renderer/lab/rules';
import { nodeInfos } from '../../../helpers/node-infos';
import { type NodeSpec, mlp } from '../../../helpers/project';

// x → fc1 → h1 (Tanh) → out → y (Sigmoid), the XOR example.
const MLP = mlp(1, 4);
const fwd = (
  id: string,
  nodes = MLP,
  loss: LossType = 'BCE',
  out = 'y',
  plugins: [LayerDefinition, string][] = [],
) => stepRule({ phase: 'forward', node: id }, nodeInfos(nodes, out, loss, plugins), out, loss);
const bwd = (
  id: string,
  nodes = MLP,
  loss: LossType = 'BCE',
  out = 'y',
  plugins: [LayerDefinition, string][] = [],
) => stepRule({ phase: 'backward', node: id }, nodeInfos(nodes, out, loss, plugins), out, loss);

describe('the rules in the lecture’s notation', () => {
  it('writes layer indices as superscripts', () => {
    expect(sup(1)).toBe('⁽¹⁾');
    expect(sup(12)).toBe('⁽¹²⁾');
    expect(sup(-1)).toBe('⁽⁻¹⁾');
  });

  it('forward: Dense, activation, and the output ŷ = σ(ỹ)', () => {
    expect(fwd('x').formula).toBe('x: the features of each sample');
    expect(fwd('x').shows).toBe('x, the samples');
    expect(fwd('fc1').formula).toBe('h̃⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾');
    expect(fwd('h1').formula).toBe('h⁽¹⁾ = tanh(h̃⁽¹⁾)');
    expect(fwd('out').formula).toBe('ỹ = W⁽²⁾ h⁽¹⁾ + b⁽²⁾');
    expect(fwd('y').formula).toBe('ŷ = σ(ỹ)');
  });

  it('the loss', () => {
    expect(stepRule({ phase: 'loss' }, nodeInfos(MLP, 'y', 'BCE'), 'y', 'BCE').formula).toBe(
      'L = −y log ŷ − (1 − y) log(1 − ŷ)',
    );
    expect(lossFormula('CrossEntropy').formula).toMatch(/softmax/);
  });

  it('backward: δ = ŷ − y at the output (BCE on a sigmoid), through the activation, through Dense', () => {
    const y = bwd('y');
    expect(y.formula).toBe('δ⁽²⁾ = ∂L/∂ŷ ⊙ σ′(ỹ) = ŷ − y');
    expect(y.more).toEqual([
      '∂L/∂ŷ ⊙ σ′(ỹ) = (ŷ − y) / (ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y   (÷ N for the mean)',
    ]);
    expect(nodeInfos(MLP, 'y', 'BCE').find((n) => n.id === 'y')?.cancels).toBe('BCE');
    expect(bwd('out').formula).toBe('∂L/∂h⁽¹⁾ = W⁽²⁾ᵀ δ⁽²⁾');
    expect(bwd('out').more).toEqual([
      '∂L/∂W⁽²⁾ = δ⁽²⁾ h⁽¹⁾ᵀ   (summed over the batch)',
      '∂L/∂b⁽²⁾ = Σ δ⁽²⁾   (over the batch)',
    ]);
    expect(bwd('out').shows).toBe('δ⁽²⁾, the local error of layer 2 (at the output of out)');
    expect(bwd('h1').formula).toBe('δ⁽¹⁾ = ∂L/∂h⁽¹⁾ ⊙ tanh′(h̃⁽¹⁾)');
    expect(bwd('h1').more).toEqual(['tanh′(h̃⁽¹⁾) = 1 − (h⁽¹⁾)²']);
    expect(bwd('h1').shows).toBe('∂L/∂h⁽¹⁾, the loss’s gradient at the output of h1');
    expect(bwd('x').note).toMatch(/backward pass ends here/);
  });

  it('GELU: its derivative written for the form the node uses', () => {
    const nodes = mlp(1, 4, { h1: { type: 'GELU', params: { approximate: 'tanh' } } });
    expect(fwd('h1', nodes).formula).toBe('h⁽¹⁾ = gelu(h̃⁽¹⁾)');
    expect(bwd('h1', nodes).more).toEqual([
      'gelu′(h̃⁽¹⁾) = ½(1 + tanh u) + ½h̃⁽¹⁾(1 − tanh²u)·u′,  u = √(2/π)(h̃⁽¹⁾ + 0.044715(h̃⁽¹⁾)³)',
    ]);
    const exact = mlp(1, 4, { h1: { type: 'GELU' } });
    expect(bwd('h1', exact).more[0]).toMatch(/^gelu′\(h̃⁽¹⁾\) = Φ\(h̃⁽¹⁾\) \+ h̃⁽¹⁾·φ\(h̃⁽¹⁾\)/);
  });

  it('Softmax and CrossEntropy combined: δ = ŷ − y on the logits ỹ', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'out', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
    ];
    expect(fwd('out', nodes, 'CrossEntropy', 'out').formula).toBe('ỹ = W⁽¹⁾ x + b⁽¹⁾');
    const b = bwd('out', nodes, 'CrossEntropy', 'out');
    expect(b.formula).toBe('∂L/∂x = W⁽¹⁾ᵀ δ⁽¹⁾');
    expect(b.more[0]).toBe('δ⁽¹⁾ = ∂L/∂ỹ = softmax(ỹ) − y = ŷ − y, y one-hot   (÷ N for the mean)');
    const logit = bwd('out', nodes, 'BCEWithLogits', 'out');
    expect(logit.more[0]).toBe('δ⁽¹⁾ = ∂L/∂ỹ = σ(ỹ) − y = ŷ − y   (÷ N for the mean)');
  });

  it('MSE on a Dense output: ŷ is the last pre-activation, its error δ⁽ᴰ⁾', () => {
    const nodes = mlp(1, 4).slice(0, 4);
    expect(fwd('out', nodes, 'MSE', 'out').formula).toBe('ŷ = W⁽²⁾ h⁽¹⁾ + b⁽²⁾');
    expect(bwd('out', nodes, 'MSE', 'out').more[0]).toBe(
      'δ⁽²⁾ = ∂L/∂ŷ = 2 (ŷ − y)   (÷ the number of values for the mean)',
    );
  });

  it('BCE on a Softmax output: no shortcut (σ′ is what cancels)', () => {
    const nodes = mlp(1, 4, { y: { type: 'Softmax' } });
    expect(bwd('y', nodes).formula).toBe('δ⁽²⁾ = ŷ ⊙ (∂L/∂ŷ − ⟨∂L/∂ŷ, ŷ⟩)');
    expect(bwd('y', nodes).more[0]).toBe('∂L/∂ŷ = (ŷ − y) / (ŷ (1 − ŷ))   (÷ N for the mean)');
  });

  it('merges: Add passes δ to every input, Concat splits it', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'a', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'b', type: 'Tanh', inputs: ['x'] },
      { id: 'sum', type: 'Add', inputs: ['a', 'b'] },
      { id: 'cat', type: 'Concat', inputs: ['sum', 'b'] },
    ];
    expect(fwd('sum', nodes, 'MSE', 'cat').formula).toBe('h⁽¹⁾ = h̃⁽¹⁾ + h⁽⁰⁾');
    expect(bwd('sum', nodes, 'MSE', 'cat').formula).toBe('δ⁽¹⁾ = ∂L/∂h⁽⁰⁾ = ∂L/∂h⁽¹⁾');
    expect(bwd('sum', nodes, 'MSE', 'cat').title).toMatch(/passes δ to every input/);
    expect(bwd('cat', nodes, 'MSE', 'cat').title).toMatch(/splits δ/);
  });

  it('plugins without Lab formulas: a custom backward, or autograd through ctx.ops', () => {
    const base = { build: ({ inShapes }: { inShapes: number[][] }) => ({ outShape: inShapes[0] }) };
    const wacky = {
      ...base,
      type: 'Wacky',
      forward: (ctx: any, x: any) => ctx.ops.tanh(x),
      backward: () => ({}),
    } as unknown as LayerDefinition;
    const swish = {
      ...base,
      type: 'Swish',
      forward: (ctx: any, x: any) => ctx.ops.tanh(x),
    } as unknown as LayerDefinition;
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'w', type: 'Wacky', inputs: ['x'] },
      { id: 's', type: 'Swish', inputs: ['w'] },
    ];
    const plugins: [LayerDefinition, string][] = [
      [wacky, 'app:wacky.js'],
      [swish, 'user:swish.ts'],
    ];
    expect(bwd('w', nodes, 'MSE', 's', plugins).title).toBe(
      'Custom backward (plugin Wacky from wacky.js)',
    );
    expect(bwd('s', nodes, 'MSE', 's', plugins).title).toBe(
      'Autograd through ctx.ops (plugin Swish from swish.ts has no backward)',
    );
  });

  it('a plugin with Lab formulas is explained by them; one whose formula throws gets the generic rule', () => {
    const scale = {
      type: 'Scale',
      build: ({ inShapes }: { inShapes: number[][] }) => ({ outShape: inShapes[0] }),
      forward: (ctx: any, x: any) => ctx.ops.scale(x, 3),
      lab: {
        sameUnits: true,
        forward: (c: any) => ({ title: 'Times three', formula: `${c.out} = 3 ${c.ins[0]}` }),
        backward: () => {
          throw new Error('not written yet');
        },
      },
    } as unknown as LayerDefinition;
    const nodes: NodeSpec[] = [
      ...mlp(1, 4).slice(0, 3),
      { id: 's', type: 'Scale', inputs: ['h1'] },
    ];
    const plugins: [LayerDefinition, string][] = [[scale, 'user:scale.js']];
    const f = fwd('s', nodes, 'MSE', 's', plugins);
    expect(f).toMatchObject({ title: 'Times three', formula: 'ŷ = 3 h⁽¹⁾' });
    expect(f.note).toBe('from the plugin scale.js');
    const b = bwd('s', nodes, 'MSE', 's', plugins);
    expect(b.title).toBe('Autograd through ctx.ops (plugin Scale from scale.js has no backward)');
    expect(b.note).toBe('its Lab formula failed: not written yet');
  });

  it('says when a layer is frozen or detached', () => {
    const nodes = mlp(1, 4, { fc1: { frozen: true, detach: true } });
    expect(bwd('fc1', nodes).more).toEqual(['frozen: no ∂L/∂W⁽¹⁾ is computed']);
    expect(bwd('fc1', nodes).note).toMatch(/detach: nothing is passed on/);
    expect(fwd('fc1', nodes).note).toMatch(/frozen/);
  });
});
