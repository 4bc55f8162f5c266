import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stuckMessage } from '../../../../renderer/stores/training-stuck';
import type { CompiledSummary } from '../../../../renderer/worker/protocol-types';

/** The XOR example with another loss and learning rate (none: the project gives none). */
function project(loss: string, lr?: number) {
  const p = JSON.parse(readFileSync('examples/xor.json', 'utf8'));
  p.loss = { type: loss };
  if (lr === undefined) delete p.training.optimizer;
  else p.training.optimizer = { type: 'sgd', lr };
  return p;
}
const summary = (outShape: number[]) =>
  ({ nodes: { y: { outShape } } }) as unknown as CompiledSummary;
const flat = (v: number) => Array.from({ length: 12 }, () => v);

describe("the training store's stuck message", () => {
  it("takes the guess from the loss at the output's width, and the run's learning rate", () => {
    const m = stuckMessage(flat(9), project('CrossEntropy', 3) as never, summary([10]));
    expect(m).toContain(
      'worse than guessing (2.303, the loss of the same probability, 1/10, for each class)',
    );
    expect(m).toContain('(now 3), then Reset and train again.');
  });
  it("uses the schema's default learning rate where the project has none", () => {
    expect(stuckMessage(flat(48.75), project('BCE') as never, summary([1]))).toContain(
      '(now 0.001)',
    );
  });
  it('says nothing without a run, a compiled output, or a guess (MSE)', () => {
    expect(stuckMessage(flat(48.75), null, summary([1]))).toBeNull();
    expect(stuckMessage(flat(48.75), project('BCE', 1) as never, null)).toBeNull();
    expect(stuckMessage(flat(48.75), project('MSE', 1) as never, summary([1]))).toBeNull();
  });
});
