import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../../core/graph/parse';
import { prepareTraining } from '../../../../core/project/prepare';
import {
  keptSentences,
  percentChange,
  segmentSentence,
  tensorNames,
} from '../../../../renderer/lab/memory-words';
import { nodeInfos } from '../../../helpers/node-infos';
import { makeProject, mlp, nodeHost } from '../../../helpers/project';

function measure(extra: Parameters<typeof mlp>[2] = {}) {
  const p = parseProject(makeProject(mlp(1, 8, extra), { data: { source: 'builtin:xor' } }));
  const { trainer } = prepareTraining(p, { host: nodeHost });
  return {
    report: trainer.measureMemory(16, { detail: true }),
    weights: tensorNames(nodeInfos(mlp(1, 8), 'y', 'BCE'), trainer.model.weights.keys()),
  };
}

describe('the memory view in words', () => {
  it('names weights and gradients by the notation module’s symbols', () => {
    const { weights } = measure();
    expect(weights.output('h1')).toBe('h⁽¹⁾');
    expect(weights.output('y')).toBe('ŷ');
    expect(weights.weight('fc1.weight')).toBe('W⁽¹⁾');
    expect(weights.weight('out.bias')).toBe('b⁽²⁾');
    expect(weights.weight('h1')).toBeUndefined();
    expect(weights.error('fc1')).toBe('δ⁽¹⁾');
    expect(weights.error('y')).toBe('∂L/∂ŷ');
    // A weight of a layer that is not linear keeps its full name.
    const norm = tensorNames(nodeInfos(mlp(1, 8), 'y', 'BCE'), ['h1.gamma']);
    expect(norm.weight('h1.gamma')).toBe('h1.gamma');
  });

  it('says which tensor each node keeps and for which gradient', () => {
    const { report, weights } = measure();
    const say = (node: string) => keptSentences(report.held!, node, weights);
    expect(say('fc1')).toEqual(['its input x [16×2], 128 B, for ∂L/∂W⁽¹⁾ (linear’s backward)']);
    expect(say('h1')).toEqual([
      'its output h⁽¹⁾ [16×8], 512 B, to compute δ⁽¹⁾ (tanh’s backward); ' +
        'out keeps the same tensor for ∂L/∂W⁽²⁾ — counted once, here',
    ]);
    expect(say('out')).toEqual([]);
    expect(say('(loss)')).toEqual(['the targets [16×1], 64 B, to compute ∂L/∂ŷ (BCE’s backward)']);
  });

  it('explains why a segment of one node saves nothing, from what was measured', () => {
    const { report, weights } = measure({ h1: { memory: 'recompute' } });
    const plain = measure().report;
    expect(segmentSentence(['h1'], report, plain, weights)).toBe(
      'Recompute segment h1 keeps only what enters it: h̃⁽¹⁾ [16×8] (512 B). Backward runs its ' +
        'forward again and holds 512 B meanwhile. One node alone saves nothing: it keeps its ' +
        'input instead of its output, and out still keeps h1’s output for ∂L/∂W⁽²⁾. ' +
        'Mark several nodes in a row: what is inside the run is not kept.',
    );
    const run = measure({
      fc1: { memory: 'recompute' },
      h1: { memory: 'recompute' },
      out: { memory: 'recompute' },
    }).report;
    expect(segmentSentence(['fc1', 'h1', 'out'], run, plain, weights)).toBe(
      'Recompute segment fc1 → out keeps only what enters it: x [16×2] (128 B). Backward runs ' +
        'its forward again and holds 512 B meanwhile. Its nodes kept 640 B without it, 128 B with it.',
    );
  });

  it('writes changes as percentages', () => {
    expect(percentChange(768, 256)).toBe('−67%');
    expect(percentChange(768, 1280)).toBe('+67%');
    expect(percentChange(768, 768)).toBe('no change');
    expect(percentChange(1000, 999)).toBe('−<1%');
  });
});
