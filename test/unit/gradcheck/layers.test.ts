import { describe, expect, it } from 'vitest';
import { gradcheckLayer } from '../../../core/gradcheck';
import type { GradcheckLayerOptions } from '../../../core/gradcheck';
import { BUILTIN_LAYERS, BUILTIN_LAYER_TYPES } from '../../../core/layers/builtin';
import { expectPass } from './random';

type Case = { name: string; names: string[] } & GradcheckLayerOptions;

const activation = (): Case[] => [
  { name: 'features [5]', inShapes: [[5]], names: ['x'] },
  { name: 'features [2, 3], batch 3', inShapes: [[2, 3]], batch: 3, names: ['x'] },
];

const CASES: Record<string, Case[]> = {
  Dense: [
    { name: 'with bias', inShapes: [[4]], params: { units: 3 }, names: ['x', 'weight', 'bias'] },
    {
      name: 'without bias',
      inShapes: [[4]],
      params: { units: 3, bias: false },
      names: ['x', 'weight'],
    },
    {
      name: 'on [2, 3] features',
      inShapes: [[2, 3]],
      params: { units: 5 },
      batch: 3,
      names: ['x', 'weight', 'bias'],
    },
  ],
  Sigmoid: activation(),
  Tanh: activation(),
  ReLU: activation(),
  LeakyReLU: [
    ...activation(),
    { name: 'slope 0.2', inShapes: [[6]], params: { slope: 0.2 }, names: ['x'] },
  ],
  Softmax: activation(),
  GELU: [
    ...activation(),
    { name: 'tanh approximation', inShapes: [[6]], params: { approximate: 'tanh' }, names: ['x'] },
  ],
  Add: [
    { name: 'two inputs', inShapes: [[3], [3]], names: ['x[0]', 'x[1]'] },
    { name: 'three inputs', inShapes: [[3], [3], [3]], names: ['x[0]', 'x[1]', 'x[2]'] },
  ],
  Concat: [
    { name: 'two inputs', inShapes: [[3], [2]], names: ['x[0]', 'x[1]'] },
    { name: 'three inputs', inShapes: [[1], [4], [2]], names: ['x[0]', 'x[1]', 'x[2]'] },
    {
      name: 'three inputs of rank 2',
      inShapes: [
        [2, 1],
        [2, 3],
        [2, 2],
      ],
      names: ['x[0]', 'x[1]', 'x[2]'],
    },
  ],
  Dropout: [
    { name: 'training, p 0.5', inShapes: [[8]], batch: 4, params: { p: 0.5 }, names: ['x'] },
    { name: 'training, p 0.2', inShapes: [[3, 3]], params: { p: 0.2 }, names: ['x'] },
    { name: 'evaluation', inShapes: [[4]], training: false, names: ['x'] },
  ],
};

describe('every built-in layer passes a finite-difference gradient check', () => {
  for (const [type, cases] of Object.entries(CASES)) {
    describe(type, () => {
      it.each(cases)('$name', ({ names, ...opts }) => {
        const r = gradcheckLayer(BUILTIN_LAYERS[type], opts);
        expectPass(r, names.length);
        expect(r.layer).toBe(type);
        expect(r.tensors.map((t) => t.name)).toEqual(names);
      });
    });
  }

  it('has a case for every built-in layer but the entry (Input)', () => {
    const missing = BUILTIN_LAYER_TYPES.filter(
      (t) => !BUILTIN_LAYERS[t].entry && !CASES[t]?.length,
    );
    expect(missing).toEqual([]);
    expect(Object.keys(CASES).filter((t) => !BUILTIN_LAYER_TYPES.includes(t))).toEqual([]);
  });

  it('reports the shape of every checked tensor', () => {
    const r = gradcheckLayer(BUILTIN_LAYERS.Dense, {
      inShapes: [[4]],
      params: { units: 3 },
      batch: 5,
    });
    expect(r.tensors.map((t) => t.shape)).toEqual([[5, 4], [3, 4], [3]]);
  });

  it('gives the same result for the same seed', () => {
    const opts = { inShapes: [[4]], params: { units: 3 }, seed: 7 };
    expect(gradcheckLayer(BUILTIN_LAYERS.Dense, opts)).toEqual(
      gradcheckLayer(BUILTIN_LAYERS.Dense, opts),
    );
  });
});
