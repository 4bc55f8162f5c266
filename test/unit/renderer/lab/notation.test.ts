// The notation module: symbols by node, the glossary's cards, formula text split into symbols,
// and the BCE-on-sigmoid shortcut's numbers, on the nodes the worker describes.
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../../renderer/lab/inspect-types';
import {
  errorSymbol,
  errorWords,
  glossary,
  outputSymbol,
  postActivation,
  preActivation,
  shortcutOf,
  tokenize,
  weightSymbol,
  words,
} from '../../../../renderer/lab/notation';
import { nodeInfos } from '../../../helpers/node-infos';
import { mlp } from '../../../helpers/project';

// x → fc1 (Dense 4) → h1 (Tanh) → out (Dense 1) → y (Sigmoid), BCE.
const NODES = nodeInfos(mlp(1, 4), 'y', 'BCE');
// x → fc1 → h1 → fc2 (Dense 8) → h2 (Tanh) → out (Dense 1) → y.
const DEEP = nodeInfos(
  [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
    { id: 'h1', type: 'Tanh', inputs: ['fc1'] },
    { id: 'dense2', type: 'Dense', params: { units: 8 }, inputs: ['h1'] },
    { id: 'h2', type: 'ReLU', inputs: ['dense2'] },
    { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['h2'] },
    { id: 'y', type: 'Sigmoid', inputs: ['out'] },
  ],
  'y',
  'BCE',
);

describe('symbols by node', () => {
  it('pre- and post-activation by the network’s layer numbering (1-based)', () => {
    expect(outputSymbol(DEEP, 'x')).toBe('x');
    expect(preActivation(DEEP, 'fc1')).toBe('h̃⁽¹⁾');
    expect(preActivation(DEEP, 'h1')).toBe('h̃⁽¹⁾');
    expect(postActivation(DEEP, 'fc1')).toBe('h⁽¹⁾');
    expect(preActivation(DEEP, 'h2')).toBe('h̃⁽²⁾');
    expect(postActivation(DEEP, 'dense2')).toBe('h⁽²⁾');
    expect(preActivation(DEEP, 'y')).toBe('ỹ');
    expect(postActivation(DEEP, 'out')).toBe('ŷ');
    expect(preActivation(DEEP, 'x')).toBeNull();
    expect(weightSymbol(DEEP, 'dense2')).toBe('W⁽²⁾');
  });

  it('δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾ at each linear layer, the plain gradient elsewhere', () => {
    expect(DEEP.map((n) => [n.id, errorSymbol(DEEP, n.id)])).toEqual([
      ['x', '∂L/∂x'],
      ['fc1', 'δ⁽¹⁾'],
      ['h1', '∂L/∂h⁽¹⁾'],
      ['dense2', 'δ⁽²⁾'],
      ['h2', '∂L/∂h⁽²⁾'],
      ['out', 'δ⁽³⁾'],
      ['y', '∂L/∂ŷ'],
    ]);
  });

  it('says in words which one it is, for accessible names', () => {
    expect(errorWords(DEEP, 'fc1')).toBe('Local error δ⁽¹⁾');
    expect(errorWords(DEEP, 'h1')).toBe('Loss gradient ∂L/∂h⁽¹⁾');
    expect(errorWords(DEEP, 'y')).toBe('Loss gradient ∂L/∂ŷ');
  });
});

describe('the glossary', () => {
  const g = glossary(DEEP, 'BCE', 'y');

  it('says what a symbol is, by name, definition and place in this network', () => {
    expect(g.get('h̃⁽²⁾')).toEqual({
      symbol: 'h̃⁽²⁾',
      name: 'the pre-activation of layer 2',
      definition: 'h̃⁽²⁾ = W⁽²⁾ h⁽¹⁾ + b⁽²⁾',
      where: 'the output of node dense2, 8 values per sample',
    });
    expect(g.get('δ⁽²⁾')?.definition).toMatch(/^δ⁽²⁾ = ∂L\/∂h̃⁽²⁾/);
    expect(g.get('δ⁽²⁾')?.name).toBe('the local error of layer 2');
    expect(g.get('∂L/∂h⁽¹⁾')?.name).toMatch(/not a local error δ/);
    expect(g.get('ỹ')?.definition).toBe('ỹ = W⁽³⁾ h⁽²⁾ + b⁽³⁾;  ŷ = σ(ỹ)');
    expect(g.get('ŷ')?.definition).toBe('ŷ = σ(ỹ)');
    expect(g.get('W⁽²⁾')?.where).toBe('node dense2’s weight, 8 × 4');
    expect(g.get('L')?.name).toMatch(/binary cross-entropy/);
  });

  it('knows every symbol the rules of Step by step write', () => {
    const keys = [...g.keys()];
    for (const n of DEEP) {
      for (const r of [n.rules.forward, n.rules.backward]) {
        const unknown = tokenize(r.formula, keys)
          .filter((t) => t.symbol === null)
          .map((t) => t.text)
          .join('');
        // What is left is operators, functions and words: no superscripted symbol.
        expect(unknown, `${n.id}: ${r.formula}`).not.toMatch(/⁽/);
      }
    }
  });
});

describe('words', () => {
  const keys = [...glossary(NODES, 'BCE', 'y').keys()];
  it('keeps what lies between two spaces together, so a formula wraps only at its spaces', () => {
    const w = words(tokenize('∂ŷ/∂x = diag(σ′(ỹ)) · W⁽²⁾ · diag(σ′(h̃⁽¹⁾))', keys));
    expect(w.map((x) => x.space + x.tokens.map((t) => t.text).join(''))).toEqual([
      '∂ŷ/∂x',
      ' =',
      ' diag(σ′(ỹ))',
      ' ·',
      ' W⁽²⁾',
      ' ·',
      ' diag(σ′(h̃⁽¹⁾))',
    ]);
    // The symbols inside a word are still symbols.
    expect(w[6].tokens.filter((t) => t.symbol).map((t) => t.symbol)).toEqual(['σ', 'h̃⁽¹⁾']);
  });
  it('gives back the text exactly', () => {
    const text = ' δ⁽²⁾ = ŷ − y  (÷ N) ';
    const w = words(tokenize(text, keys));
    expect(w.map((x) => x.space + x.tokens.map((t) => t.text).join('')).join('')).toBe(text);
  });
});

describe('tokenize', () => {
  const keys = [...glossary(NODES, 'BCE', 'y').keys()];
  it('finds whole symbols, longest first, with unit subscripts', () => {
    expect(tokenize('∂L/∂h⁽¹⁾ᵢ = Σⱼ W⁽²⁾ⱼᵢ δ⁽²⁾ⱼ', keys)).toEqual([
      { text: '∂L/∂h⁽¹⁾ᵢ', symbol: '∂L/∂h⁽¹⁾' },
      { text: ' = Σⱼ ', symbol: null },
      { text: 'W⁽²⁾ⱼᵢ', symbol: 'W⁽²⁾' },
      { text: ' ', symbol: null },
      { text: 'δ⁽²⁾ⱼ', symbol: 'δ⁽²⁾' },
    ]);
  });
  it('leaves the letters of words alone', () => {
    const t = tokenize('softmax(ỹ) by y', keys);
    expect(t.filter((q) => q.symbol).map((q) => q.text)).toEqual(['ỹ', 'y']);
    expect(tokenize('h̃⁽¹⁾ = W⁽¹⁾ x', keys).map((q) => q.symbol)).toEqual([
      'h̃⁽¹⁾',
      null,
      'W⁽¹⁾',
      null,
      'x',
    ]);
  });
});

describe('the shortcut δ = ŷ − y', () => {
  const m = (rows: number, cols: number, data: number[]): Matrix => ({
    rows,
    cols,
    fullCols: cols,
    data: Float32Array.from(data),
  });

  it('BCE on a sigmoid: (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y, extreme ŷ included', () => {
    const yHat = m(3, 1, [0.73, 1e-6, 0.999999]);
    const y = m(3, 1, [1, 0, 0]);
    // The engine's δ for the mean over 3 values.
    const delta = m(3, 1, [(0.73 - 1) / 3, 1e-6 / 3, 0.999999 / 3]);
    for (let s = 0; s < 3; s++) {
      const r = shortcutOf('BCE', 'bce-sigmoid', yHat, y, delta, s).rows[0];
      expect(r.product!).toBeCloseTo(r.diff, 6);
      expect(r.diff).toBeCloseTo(yHat.data[s] - y.data[s], 7);
      expect(r.engine!).toBeCloseTo(r.diff, 6);
    }
    expect(shortcutOf('BCE', 'bce-sigmoid', yHat, y, delta, 0).count).toBe(3);
  });

  it('softmax and cross-entropy on logits, targets as class indices: ŷ − y one-hot', () => {
    const z = m(2, 3, [1, 2, 3, 0, 0, 0]);
    const y = m(2, 1, [2, 0]);
    const s = shortcutOf('CrossEntropy', 'logits', z, y, null, 0);
    const e = [1, 2, 3].map((v) => Math.exp(v));
    const t = e[0] + e[1] + e[2];
    expect(s.rows.map((r) => r.y)).toEqual([0, 0, 1]);
    s.rows.forEach((r, c) => expect(r.diff).toBeCloseTo(e[c] / t - (c === 2 ? 1 : 0), 12));
    expect(s.count).toBe(2);
  });
});
