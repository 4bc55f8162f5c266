import { describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../core/graph/schema';
import { parseClip } from '../../../renderer/stores/graph-clipboard';
import { BUILTIN_LAYER_INFO, uiLayerLookup } from '../../../renderer/stores/layer-catalog';
import { inferShapes, summarize } from '../../../renderer/shapes/infer-shapes';

const lookup = uiLayerLookup(BUILTIN_LAYER_INFO);
type Nodes = ProjectInput['nodes'];

describe('inferShapes (lenient shape inference)', () => {
  it('gives shapes to every node it can, and says why it cannot for the others', () => {
    const nodes: Nodes = [
      { id: 'x', type: 'Input', params: { shape: [3] } },
      { id: 'a', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'b', type: 'Dense', params: { units: 0 }, inputs: ['x'] },
      { id: 'c', type: 'Tanh', inputs: ['b'] },
      { id: 'd', type: 'Mystery', inputs: ['a'] },
      { id: 'e', type: 'Add', inputs: ['a'] },
      { id: 'f', type: 'Concat', inputs: ['a', 'x'] },
    ];
    const r = inferShapes({ nodes }, lookup).nodes;
    expect(r.a).toMatchObject({
      outShape: [4],
      paramCount: 16,
      weights: { weight: [4, 3], bias: [4] },
    });
    expect(r.b.problem).toEqual({
      kind: 'params',
      message: 'must be at least 1, got 0',
      field: 'params.units',
    });
    expect(r.c).toMatchObject({ outShape: null });
    expect(r.c.problem).toBeUndefined();
    expect(r.d.problem).toMatchObject({ kind: 'type' });
    expect(r.e.problem).toEqual({
      kind: 'arity',
      message: 'takes at least 2 inputs, got 1',
      field: 'inputs',
    });
    expect(r.f.outShape).toEqual([7]);
  });

  it('names a cycle and leaves its nodes without shapes', () => {
    const nodes: Nodes = [
      { id: 'x', type: 'Input' },
      { id: 'a', type: 'Add', inputs: ['x', 'b'] },
      { id: 'b', type: 'Tanh', inputs: ['a'] },
    ];
    const r = inferShapes({ nodes }, lookup);
    expect(r.cycle).toHaveLength(3);
    expect(r.cycle![0]).toBe(r.cycle![2]);
    expect(new Set(r.cycle)).toEqual(new Set(['a', 'b']));
    expect(r.nodes.a.problem?.kind).toBe('cycle');
    expect(r.nodes.x.outShape).toEqual([2]);
  });

  it('uses known shapes for layers it cannot build, while their inputs are unchanged', () => {
    const nodes: Nodes = [
      { id: 'x', type: 'Input' },
      { id: 'p', type: 'Plug', inputs: ['x'] },
    ];
    const plugLookup = {
      get: (t: string) => (t === 'Plug' ? { inputs: { min: 1, max: 1 } } : lookup.get(t)),
      types: () => [...lookup.types(), 'Plug'],
    };
    const known = {
      p: {
        outShape: [5],
        inShapes: [[2]],
        paramCount: 3,
        weights: { w: [3] },
        trainable: true,
        used: true,
      },
    };
    expect(inferShapes({ nodes }, plugLookup, known).nodes.p.outShape).toEqual([5]);
    const wider: Nodes = [{ id: 'x', type: 'Input', params: { shape: [9] } }, nodes[1]];
    expect(inferShapes({ nodes: wider }, plugLookup, known).nodes.p.outShape).toBeNull();
  });

  it('summarize: which nodes feed the output and which train (frozen, detach)', () => {
    const nodes: Nodes = [
      { id: 'x', type: 'Input' },
      { id: 'a', type: 'Dense', inputs: ['x'] },
      { id: 'b', type: 'Dense', inputs: ['a'], detach: true },
      { id: 'c', type: 'Dense', inputs: ['b'], frozen: true },
      { id: 'y', type: 'Dense', inputs: ['c'] },
      { id: 'side', type: 'Dense', inputs: ['x'] },
    ];
    const s = summarize(inferShapes({ nodes, output: 'y' }, lookup));
    const t = (id: string) => [s.nodes[id].used, s.nodes[id].trainable];
    expect(t('a')).toEqual([true, false]); // behind the detach
    expect(t('b')).toEqual([true, true]);
    expect(t('c')).toEqual([true, false]); // frozen
    expect(t('y')).toEqual([true, true]);
    expect(t('side')).toEqual([false, false]);
  });
});

describe('parseClip', () => {
  it('accepts only clips', () => {
    expect(parseClip('nope')).toBeNull();
    expect(parseClip('{"format":"backprop-lab.nodes","nodes":[{"id":1}]}')).toBeNull();
    expect(parseClip('{"format":"backprop-lab.nodes","nodes":[{"id":"a","type":"Tanh"}]}')).toEqual(
      {
        format: 'backprop-lab.nodes',
        version: 1,
        nodes: [{ id: 'a', type: 'Tanh' }],
        layout: {},
      },
    );
  });
});
