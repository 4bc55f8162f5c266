// A DAG with Add and Concat against PyTorch: x → fc_a → tanh_a, x → fc_b → relu_b,
// add = tanh_a + fc_c(x), cat = [add, relu_b] → fc_out → Sigmoid, BCE; five Adam steps. Also
// with detach (on relu_b, and on a node whose input feeds the loss along another path too) and
// with a recompute segment that has three entering tensors.
import { describe, expect, it } from 'vitest';
import { expectStart, expectTrajectory } from './expect-training';
import { type TrainingCase, loadFixture } from './fixtures';
import { trainManually } from './run-steps';

const cases = loadFixture<TrainingCase>('dag.json');
const byName = (name: string) => cases.find((c) => c.name === name)!;

describe('a DAG with Add and Concat against PyTorch', () => {
  it('forward output and every weight gradient at the initial weights', () => {
    const c = byName('dag');
    const run = trainManually(c);
    expect(Object.keys(c.grads0).sort()).toEqual(Object.keys(c.initial).sort());
    expectStart(run, c);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: five Adam steps', (_name, c) => {
    const run = trainManually(c);
    expectStart(run, c);
    expectTrajectory(run, c);
  });

  it('detach on relu_b cuts only the fc_b branch', () => {
    const c = byName('dag-detach');
    expect(Object.keys(c.grads0).filter((k) => k.startsWith('fc_b.'))).toEqual([]);
    const run = trainManually(c);
    expect(run.grads0.get('fc_b.weight')).toBeNull();
    expect(run.grads0.get('fc_a.weight')).not.toBeNull();
    expect(run.grads0.get('fc_c.weight')).not.toBeNull();
  });
});
