import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { makeProject, mlp, nodeHost } from '../../helpers/project';

function train(seed: number, extra: Parameters<typeof mlp>[2] = {}) {
  const project = parseProject(
    makeProject(mlp(2, 8, extra), {
      training: {
        optimizer: { type: 'adam', lr: 0.01 },
        batchSize: 10,
        epochs: 4,
        seed,
        shuffle: true,
      },
    }),
  );
  const { trainer } = prepareTraining(project, { host: nodeHost });
  while (!trainer.finished) trainer.step();
  return { weights: trainer.model.exportWeights(), history: trainer.history };
}

describe('same project, same seed', () => {
  it('gives the same weights bit for bit', () => {
    const a = train(42),
      b = train(42);
    for (const k of Object.keys(a.weights)) {
      expect(Buffer.from(a.weights[k].data.buffer)).toEqual(Buffer.from(b.weights[k].data.buffer));
    }
    expect(a.history).toEqual(b.history);
  });

  it('with dropout too', () => {
    const nodes = mlp(2, 8);
    nodes.splice(3, 0, { id: 'drop', type: 'Dropout', params: { p: 0.3 }, inputs: ['h1'] });
    nodes[4] = { ...nodes[4], inputs: ['drop'] };
    const run = () => {
      const { trainer } = prepareTraining(parseProject(makeProject(nodes)), { host: nodeHost });
      while (!trainer.finished) trainer.step();
      return trainer.model.exportWeights();
    };
    expect(run()).toEqual(run());
  });

  it('and another seed gives other weights', () => {
    expect(train(1).weights['fc1.weight'].data).not.toEqual(train(2).weights['fc1.weight'].data);
  });

  it('frozen weights do not move', () => {
    const project = parseProject(makeProject(mlp(2, 8, { fc1: { frozen: true } })));
    const { trainer } = prepareTraining(project, { host: nodeHost });
    const before = trainer.model.exportWeights();
    while (!trainer.finished) trainer.step();
    const after = trainer.model.exportWeights();
    expect(after['fc1.weight']).toEqual(before['fc1.weight']);
    expect(after['fc1.bias']).toEqual(before['fc1.bias']);
    expect(after['fc2.weight']).not.toEqual(before['fc2.weight']);
  });
});
