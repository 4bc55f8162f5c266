// A run that goes non-finite stops with the node (or loss) and the step, and with advice that
// fits what happened: no "smaller learning rate" before any weight update, no "scale the
// targets" for class targets, no "standardize" for inputs that already are. Tape and fused plan
// say the same.
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import type { ProjectInput } from '../../../core/graph/schema';
import { prepareTraining } from '../../../core/project/prepare';
import { divergenceAdvice } from '../../../core/train/divergence';
import { Trainer } from '../../../core/train/trainer';
import { LabError } from '../../../core/util/errors';
import { type NodeSpec, makeProject, nodeHost } from '../../helpers/project';

const regression: NodeSpec[] = [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
  { id: 'h', type: 'ReLU', inputs: ['fc1'] },
  { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['h'] },
];

function project(over: Partial<ProjectInput>, nodes = regression): ProjectInput {
  return makeProject(nodes, {
    loss: { type: 'MSE' },
    training: {
      optimizer: { type: 'sgd', lr: 0.1 },
      batchSize: 2,
      epochs: 50,
      seed: 0,
      shuffle: false,
    },
    ...over,
  });
}

function trainers(p: ProjectInput): Trainer[] {
  return [true, false].map((fused) => {
    const pr = parseProject(p);
    const { graph, train, test, normalization } = prepareTraining(pr, { host: nodeHost });
    const t = new Trainer({
      graph,
      train,
      test,
      normalization,
      loss: pr.loss.type,
      config: pr.training,
      fused,
    });
    expect(t.fused).toBe(fused);
    return t;
  });
}

/** Train until the run fails; returns the error and the steps that succeeded. */
function failure(t: Trainer, before?: () => void): { err: LabError; steps: number } {
  before?.();
  let steps = 0;
  try {
    while (!t.finished) {
      t.step();
      steps++;
    }
  } catch (e) {
    if (e instanceof LabError) return { err: e, steps };
    throw e;
  }
  throw new Error('the run did not fail');
}

describe('a non-finite value stops training', () => {
  it('at the first step: the node, and no learning-rate advice, but standardizing', () => {
    const p = project({
      data: {
        x: [
          [3e38, 3e38],
          [3e38, -3e38],
        ],
        y: [[1], [0]],
      },
    });
    for (const t of trainers(p)) {
      // Weights of 2 make 2·3e38 + 2·3e38 overflow float32 in fc1 for the first sample.
      const before = (() => {
        t.model.weights.get('fc1.weight')!.data.fill(2);
        return t.model.exportWeights();
      })();
      const { err, steps } = failure(t);
      expect(steps).toBe(0);
      expect(err.code).toBe('NON_FINITE');
      expect(err.place.node).toBe('fc1');
      expect(err.message).toMatch(
        /^Training diverged at epoch 1, batch 1 \(step 1\): node 'fc1' \(Dense\) produced (-?Infinity|NaN) at index \[\d, \d\] of its output\. This happened before any weight update, so the learning rate is not the cause\. Standardize the features \(data\.normalize: "standardize"; the inputs reach 3e\+38\)\.$/,
      );
      expect(err.message).not.toMatch(/smaller learning rate/);
      expect(t.model.exportWeights()).toEqual(before);
    }
  });

  it('after some updates: a smaller learning rate, with the rate now', () => {
    // y = 3x on inputs of a few units: an SGD rate of 1 overshoots and grows without bound.
    const x = Array.from({ length: 8 }, (_, i) => [i - 3.5, (i % 3) - 1]);
    const p = project({
      data: { x, y: x.map((r) => [3 * r[0]]), normalize: 'standardize' },
      training: { optimizer: { type: 'sgd', lr: 1 }, batchSize: 4, epochs: 500, seed: 1 },
    });
    const messages = trainers(p).map((t) => {
      const { err, steps } = failure(t);
      expect(steps).toBeGreaterThan(0);
      expect(err.message).toMatch(
        new RegExp(
          `^Training diverged at epoch \\d+, batch \\d \\(step ${steps + 1}\\): .*\\. The weights had ${steps} updates: try a smaller learning rate \\(now 1\\)\\.$`,
        ),
      );
      // Normalized inputs: nothing about standardizing; regression targets of 10: no scaling.
      expect(err.message).not.toMatch(/standardize|scale the targets|before any/);
      return err.message;
    });
    expect(messages[0]).toBe(messages[1]);
  });

  it('a loss too large for float32 from huge regression targets: scale the targets', () => {
    const p = project({
      data: {
        x: [
          [0.5, -0.5],
          [0.25, 1],
        ],
        y: [[1e20], [-2e20]],
      },
    });
    for (const t of trainers(p)) {
      const { err, steps } = failure(t);
      expect(steps).toBe(0);
      expect(err.place).toEqual({ node: 'fc2', tensor: 'loss' });
      expect(err.message).toMatch(
        /^Training diverged at epoch 1, batch 1 \(step 1\): the MSE loss is Infinity although every node's output is finite \(outputs reach [\d.]+ and targets reach 2e\+20: too far apart for float32\)\. This happened before any weight update, so the learning rate is not the cause\. Scale the targets down \(they reach 2e\+20\)\.$/,
      );
    }
  });

  it('a non-finite gradient names the weight, and the weights stay as they were', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['x'] },
    ];
    // At zero weights the output (0) and the loss (1) are finite; ∂L/∂W = −2 · 3e38 is not.
    const p = project({ data: { x: [[3e38, 0]], y: [[1]] } }, nodes);
    for (const t of trainers(p)) {
      for (const w of t.model.weights.values()) w.data.fill(0);
      const { err, steps } = failure(t);
      expect(steps).toBe(0);
      expect(err.place).toEqual({ node: 'fc', tensor: 'fc.weight' });
      expect(err.message).toBe(
        'Training diverged at epoch 1, batch 1 (step 1): the gradient of fc.weight is -Infinity; the weights were not updated. This happened before any weight update, so the learning rate is not the cause. Standardize the features (data.normalize: "standardize"; the inputs reach 3e+38).',
      );
      expect(Array.from(t.model.weights.get('fc.weight')!.data)).toEqual([0, 0]);
    }
  });
});

describe('divergence advice', () => {
  const facts = {
    updates: 0,
    givenWeights: false,
    inputMax: 2,
    normalized: true,
    targetMax: null,
    lr: 0.5,
  };
  it('never suggests scaling class targets, nor standardizing normalized inputs', () => {
    for (const f of [
      { ...facts, inputMax: 1e6 },
      { ...facts, updates: 3, inputMax: 1e6 },
      { ...facts, normalized: false, inputMax: 5, updates: 3 },
    ]) {
      const a = divergenceAdvice(f);
      expect(a).not.toMatch(/targets/);
      expect(a).not.toMatch(/standardize/i);
    }
    expect(divergenceAdvice({ ...facts, normalized: false, inputMax: 4254 })).toMatch(
      /Standardize the features \(data\.normalize: "standardize"; the inputs reach 4254\)/,
    );
  });

  it('before any update: never the learning rate; loaded weights are named as the cause', () => {
    expect(divergenceAdvice({ ...facts, givenWeights: true })).toBe(
      'This happened before any weight update, so the learning rate is not the cause. The weights the run started from produce it: start from a fresh initialization, or check those weights.',
    );
    expect(divergenceAdvice(facts)).not.toMatch(/learning rate \(now/);
    expect(divergenceAdvice({ ...facts, updates: 1 })).toBe(
      'The weights had 1 update: try a smaller learning rate (now 0.5).',
    );
  });
});

describe('CrossEntropy on raw large-scale features', () => {
  it('trains its first steps with a finite loss (it gave ∞ with a naive −log softmax)', () => {
    // Breast-cancer-like scales: one feature of thousands; the first logits are far apart.
    const x = Array.from({ length: 16 }, (_, i) => [1000 + 250 * i, 0.01 * (i % 4)]);
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
    ];
    const p = project(
      {
        loss: { type: 'CrossEntropy' },
        data: { x, y: x.map((_, i) => [i < 8 ? 0 : 1]) },
        training: { optimizer: { type: 'sgd', lr: 0.01 }, batchSize: 16, epochs: 3, seed: 2 },
      },
      nodes,
    );
    for (const t of trainers(p)) {
      t.model.weights.get('fc.weight')!.data.set([0.5, 0, -0.5, 0]);
      const r = t.step();
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.loss).toBeGreaterThan(100);
    }
  });
});
