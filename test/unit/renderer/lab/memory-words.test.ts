import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../../core/graph/parse';
import { prepareTraining } from '../../../../core/project/prepare';
import {
  keptSentences,
  percentChange,
  segmentSentence,
} from '../../../../renderer/lab/memory-words';
import { makeProject, mlp, nodeHost } from '../../../helpers/project';

function measure(extra: Parameters<typeof mlp>[2] = {}) {
  const p = parseProject(makeProject(mlp(1, 8, extra), { data: { source: 'builtin:xor' } }));
  const { trainer } = prepareTraining(p, { host: nodeHost });
  return {
    report: trainer.measureMemory(16, { detail: true }),
    weights: new Set(trainer.model.weights.keys()),
  };
}

describe('the memory view in words', () => {
  it('says which tensor each node keeps and for which gradient', () => {
    const { report, weights } = measure();
    const say = (node: string) => keptSentences(report.held!, node, weights);
    expect(say('fc1')).toEqual([
      'its input x [16×2], 128 B, for ∂L/∂fc1.weight (linear’s backward)',
    ]);
    expect(say('h1')).toEqual([
      'its output h1 [16×8], 512 B, to compute the gradient passed back to fc1 (tanh’s backward); ' +
        'out keeps the same tensor for ∂L/∂out.weight — counted once, here',
    ]);
    expect(say('out')).toEqual([]);
    expect(say('(loss)')).toEqual([
      'the targets [16×1], 64 B, to compute the gradient passed back to y (BCE’s backward)',
    ]);
  });

  it('explains why a segment of one node saves nothing, from what was measured', () => {
    const { report, weights } = measure({ h1: { memory: 'recompute' } });
    const plain = measure().report;
    expect(segmentSentence(['h1'], report, plain, weights)).toBe(
      'Recompute segment h1 keeps only what enters it: fc1 [16×8] (512 B). Backward runs its ' +
        'forward again and holds 512 B meanwhile. One node alone saves nothing: it keeps its ' +
        'input instead of its output, and out still keeps h1’s output for ∂L/∂out.weight. ' +
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
