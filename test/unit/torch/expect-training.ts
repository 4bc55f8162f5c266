// Assertions shared by the training, DAG and memory-policy tests.
import { expect } from 'vitest';
import type { TrainingCase } from './fixtures';
import type { ManualRun, Trajectory } from './run-steps';
import { FLOAT32_OP, FLOAT32_TRAINING, expectClose, expectNumberClose } from './tolerance';

/**
 * Output and weight gradients at the initial weights: one forward and one backward in float32,
 * a few ops deep, so the single-op tolerance holds.
 */
export function expectStart(run: ManualRun, c: TrainingCase): void {
  expectClose(run.output0, c.output0, FLOAT32_OP, 'output at the initial weights');
  const withGrad = [...run.grads0].filter(([, g]) => g !== null).map(([k]) => k);
  expect(withGrad.sort(), 'weights that get a gradient').toEqual(Object.keys(c.grads0).sort());
  for (const [name, want] of Object.entries(c.grads0))
    expectClose(run.grads0.get(name), want, FLOAT32_OP, `gradient of ${name} before step 1`);
}

/**
 * Loss before each step and every weight after it. Weights that get no gradient in torch
 * (frozen, or upstream of a detach) must keep their initial values exactly, weight decay or not.
 */
export function expectTrajectory(run: Trajectory, c: TrainingCase): void {
  expect(run.losses.length, 'steps taken').toBe(c.steps.length);
  const fixed = Object.keys(c.initial).filter((name) => !(name in c.grads0));
  c.steps.forEach((want, i) => {
    expectNumberClose(run.losses[i], want.loss, FLOAT32_TRAINING, `loss at step ${i + 1}`);
    const got = run.weights[i];
    expect(Object.keys(got).sort(), 'weight names').toEqual(Object.keys(want.weights).sort());
    for (const [name, w] of Object.entries(want.weights))
      expectClose(got[name], w, FLOAT32_TRAINING, `${name} after step ${i + 1}`);
    for (const name of fixed) {
      expect(got[name].data, `${name} after step ${i + 1} (no gradient)`).toEqual(
        Float32Array.from(c.initial[name].data),
      );
    }
  });
}
