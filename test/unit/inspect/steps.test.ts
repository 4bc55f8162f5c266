import { describe, expect, it } from 'vitest';
import { backpropSteps, layerIndices } from '../../../core/inspect';
import { buildModel, twoLayer } from './build';

describe('backpropSteps', () => {
  it('runs every node forward, then the loss, then every node backward in reverse', () => {
    const model = buildModel(twoLayer());
    const steps = backpropSteps(model.graph);
    const ids = model.graph.nodes.map((n) => n.id);
    expect(ids).toEqual(['x', 'fc1', 'h', 'fc2']);
    expect(steps).toEqual([
      ...ids.map((node) => ({ phase: 'forward', node })),
      { phase: 'loss' },
      ...ids
        .slice()
        .reverse()
        .map((node) => ({ phase: 'backward', node })),
    ]);
  });

  it('visits a merge after all its inputs going forward and before them going back', () => {
    const model = buildModel([
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'a', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'b', type: 'Tanh', inputs: ['x'] },
      { id: 'sum', type: 'Add', inputs: ['a', 'b'] },
    ]);
    const steps = backpropSteps(model.graph);
    const at = (phase: string, node: string) =>
      steps.findIndex((s) => s.phase === phase && 'node' in s && s.node === node);
    expect(at('forward', 'sum')).toBeGreaterThan(Math.max(at('forward', 'a'), at('forward', 'b')));
    expect(at('backward', 'sum')).toBeLessThan(Math.min(at('backward', 'a'), at('backward', 'b')));
    expect(steps).toHaveLength(2 * 4 + 1);
  });
});

describe('layerIndices', () => {
  it('numbers Dense layers from 1 and gives activations the layer they follow', () => {
    const model = buildModel(twoLayer());
    expect(Object.fromEntries(layerIndices(model.graph))).toEqual({ x: 0, fc1: 1, h: 1, fc2: 2 });
  });
});
