import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { LabError } from '../../../core/util/errors';
import { makeProject, nodeHost } from '../../helpers/project';

describe('a non-finite value stops training', () => {
  it('naming the first node that produced it', () => {
    const project = parseProject(
      makeProject(
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'fc1', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
          { id: 'h', type: 'ReLU', inputs: ['fc1'] },
          { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['h'] },
        ],
        {
          loss: { type: 'MSE' },
          data: {
            x: [
              [3e38, 3e38],
              [3e38, -3e38],
            ],
            y: [[1], [0]],
          },
          training: {
            optimizer: { type: 'sgd', lr: 0.1 },
            batchSize: 2,
            epochs: 1,
            seed: 0,
            shuffle: false,
          },
        },
      ),
    );
    const { trainer } = prepareTraining(project, { host: nodeHost });
    // Weights of 2 make 2·3e38 + 2·3e38 overflow float32 in fc1 for the first sample.
    trainer.model.weights.get('fc1.weight')!.data.fill(2);
    const before = trainer.model.exportWeights();
    let err: LabError | undefined;
    try {
      trainer.step();
    } catch (e) {
      err = e as LabError;
    }
    expect(err?.code).toBe('NON_FINITE');
    expect(err?.place.node).toBe('fc1');
    expect(err?.message).toMatch(
      /^Training diverged at epoch 1, batch 1: node 'fc1' \(Dense\) produced (-?Infinity|NaN) at index \[\d, \d\] of its output/,
    );
    expect(trainer.model.exportWeights()).toEqual(before);
  });
});
