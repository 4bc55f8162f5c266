// The memory policy does not change the maths: frozen, detach and recompute against PyTorch
// (requires_grad False, .detach() on the node's inputs, and the plain network respectively).
import { describe, expect, it } from 'vitest';
import { expectStart, expectTrajectory } from './expect-training';
import { type TrainingCase, loadFixture, toTensor } from './fixtures';
import { modelOf, trainManually } from './run-steps';
import { Rng } from '../../../core/util/rng';

const cases = loadFixture<TrainingCase>('memory.json');
// The DAG's detach and recompute variants are compared with torch in dag.test.ts.
const dagCases = loadFixture<TrainingCase>('dag.json');
const byName = (name: string) => [...cases, ...dagCases].find((c) => c.name === name)!;

describe('memory policy against PyTorch', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = trainManually(c);
    expectStart(run, c);
    expectTrajectory(run, c);
  });

  it.each(['deep-sgd-frozen-fc2', 'deep-adam-frozen-fc2'])(
    '%s: the frozen layer keeps its weights, the gradient still passes through it',
    (name) => {
      const c = byName(name);
      const run = trainManually(c);
      expect(run.model.parameters()).not.toContain(run.model.weights.get('fc2.weight'));
      expect(run.grads0.get('fc2.weight')).toBeNull();
      expect(run.grads0.get('fc2.bias')).toBeNull();
      expect(run.grads0.get('fc1.weight')).not.toBeNull();
      expect(run.weights[4]['fc2.weight'].data).toEqual(
        Float32Array.from(c.initial['fc2.weight'].data),
      );
    },
  );

  it.each(['deep-sgd-detach-fc3', 'deep-adam-detach-fc3'])(
    '%s: nothing below the detached node learns, the node itself does',
    (name) => {
      const run = trainManually(byName(name));
      for (const w of ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'])
        expect(run.grads0.get(w), w).toBeNull();
      for (const w of ['fc3.weight', 'fc3.bias', 'fc4.weight'])
        expect(run.grads0.get(w), w).not.toBeNull();
    },
  );

  it.each([
    ['deep-sgd-recompute', 'deep-sgd', 'fc3'],
    ['deep-adam-recompute', 'deep-adam', 'fc3'],
    ['dag-recompute', 'dag', 'y'],
  ])('%s gives bit for bit what %s gives', (name, base, segmentOutput) => {
    const c = byName(name);
    // The segment really is recomputed: its output comes from one checkpoint operation.
    const { outputs } = modelOf(c).forward(toTensor(c.x), { training: true, rng: new Rng(0) });
    expect(outputs.get(segmentOutput)!.gradFn?.name).toBe('recompute');

    const a = trainManually(c);
    const b = trainManually(byName(base));
    expect(a.losses).toEqual(b.losses);
    expect(a.weights).toEqual(b.weights);
    for (const [k, g] of b.grads0) expect(a.grads0.get(k)?.data, k).toEqual(g?.data);
  });
});
