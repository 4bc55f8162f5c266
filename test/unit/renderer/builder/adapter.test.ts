import type { NodeChange } from '@vue-flow/core';
import { describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../../core/graph/schema';
import {
  type CanvasInput,
  NODE_SIZE,
  besidePosition,
  connectEdit,
  connectMarks,
  deleteEdits,
  dropEdit,
  moveEdit,
  nodePositions,
  nudgedPositions,
  pasteOffset,
  pluginProblemText,
  selectionAfter,
  toFlowEdges,
  toFlowNodes,
} from '../../../../renderer/builder/adapter';
import { edgeId } from '../../../../renderer/stores/graph';
import { BUILTIN_LAYER_INFO, type LayerInfo } from '../../../../renderer/stores/layer-catalog';
import type { SummaryNode } from '../../../../renderer/worker/protocol-types';
import { XOR, summaryOf } from '../helpers/stores';

const WACKY: LayerInfo = {
  type: 'Wacky',
  description: 'y = x * sigmoid(a * x)',
  category: 'Examples',
  params: {},
  inputs: { min: 1, max: 1 },
  source: 'app:wacky.js',
};
const LAYERS = new Map([...BUILTIN_LAYER_INFO, WACKY].map((l) => [l.type, l]));

function known(outShape: number[], paramCount = 0, used = true): SummaryNode {
  return { outShape, inShapes: [], paramCount, trainable: true, used, weights: {} };
}

const XOR_SUMMARY = summaryOf({
  x: known([2]),
  fc1: known([8], 24),
  h1: known([8]),
  fc2: known([1], 9),
  y: known([1]),
});

function edgesOf(p: ProjectInput) {
  return p.nodes.flatMap((n) =>
    (n.inputs ?? []).map((from, index) => ({ id: edgeId(from, n.id), from, to: n.id, index })),
  );
}

function input(over: Partial<CanvasInput> = {}): CanvasInput {
  const project = over.project ?? XOR;
  return {
    project,
    edges: edgesOf(project),
    summary: XOR_SUMMARY,
    issuesByNode: {},
    issuesByEdge: {},
    selection: [],
    layerInfo: (t) => LAYERS.get(t),
    typeProblem: () => null,
    ...over,
  };
}

describe('adapter: project → vue-flow nodes', () => {
  it('draws each node at its layout place with type, id, shape and parameter count', () => {
    const nodes = toFlowNodes(input({ selection: ['fc1'] }));
    expect(nodes.map((n) => n.id)).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
    const fc1 = nodes[1];
    expect(fc1.type).toBe('layer');
    expect(fc1.position).toEqual({ x: 200, y: 120 });
    expect(fc1.selected).toBe(true);
    expect(nodes[0].selected).toBe(false);
    expect(fc1.data).toMatchObject({
      id: 'fc1',
      layerType: 'Dense',
      shape: '[8]',
      params: 24,
      takesInputs: true,
      multiInput: false,
      inputCount: 1,
      isOutput: false,
      errors: [],
      plugin: null,
    });
    expect(fc1.ariaLabel).toBe('Dense fc1, output [8], 24 params');
    expect(nodes[0].data?.takesInputs).toBe(false); // Input has no input handle
    expect(nodes[4].data?.isOutput).toBe(true);
    expect(nodes[4].data?.loss).toBe('BCE');
    expect(nodes[4].ariaLabel).toBe('Sigmoid y, output [1], network output');
  });

  it('shows "?" for unknown shapes and marks unused nodes', () => {
    const nodes = toFlowNodes(
      input({ summary: summaryOf({ x: known([2]), fc1: known([8], 24, false) }) }),
    );
    expect(nodes.find((n) => n.id === 'h1')?.data?.shape).toBe('?');
    expect(nodes.find((n) => n.id === 'h1')?.data?.params).toBeNull();
    expect(nodes.find((n) => n.id === 'fc1')?.data?.unused).toBe(true);
    expect(toFlowNodes(input({ summary: null }))[1].ariaLabel).toBe('Dense fc1, output ?');
  });

  it('shows the flags as badges', () => {
    const p: ProjectInput = {
      ...XOR,
      nodes: XOR.nodes.map((n) =>
        n.id === 'fc1' ? { ...n, frozen: true, detach: true, memory: 'recompute' } : n,
      ),
    };
    const fc1 = toFlowNodes(input({ project: p }))[1];
    expect(fc1.data).toMatchObject({ frozen: true, detach: true, recompute: true });
    expect(fc1.ariaLabel).toContain('frozen, detached, recomputed');
  });

  it('puts the check problems and the run error on their node', () => {
    const nodes = toFlowNodes(
      input({
        issuesByNode: {
          fc2: [{ path: 'nodes[3].params.units', node: 'fc2', message: 'bad units' }],
        },
        runError: { node: 'h1', message: 'non-finite output' },
      }),
    );
    expect(nodes[3].data?.errors).toEqual(['bad units']);
    expect(nodes[3].ariaLabel).toContain('error: bad units');
    expect(nodes[2].data?.errors).toEqual(['non-finite output']);
    expect(nodes[1].data?.errors).toEqual([]);
  });

  it('marks plugin layers, and a broken plugin on its nodes', () => {
    const p: ProjectInput = {
      ...XOR,
      nodes: [...XOR.nodes, { id: 'w', type: 'Wacky', inputs: ['fc1'] }, { id: 'g', type: 'Gone' }],
    };
    const problem = 'the plugin user:gone.js that defines Gone is broken: SyntaxError at 3:1';
    const nodes = toFlowNodes(
      input({ project: p, typeProblem: (t) => (t === 'Gone' ? problem : null) }),
    );
    const w = nodes.find((n) => n.id === 'w')!;
    expect(w.data?.plugin).toBe('app:wacky.js');
    expect(w.ariaLabel).toContain('plugin layer');
    const g = nodes.find((n) => n.id === 'g')!;
    expect(g.data?.pluginBroken).toBe('plugin broken: SyntaxError at 3:1');
    expect(pluginProblemText('the plugin a.js that defines A is no longer loaded')).toBe(
      'plugin missing: the plugin a.js that defines A is no longer loaded',
    );
  });

  it('shows how many inputs a merge node has', () => {
    const p: ProjectInput = {
      ...XOR,
      nodes: [...XOR.nodes, { id: 'sum', type: 'Add', inputs: ['fc1', 'h1'] }],
    };
    const sum = toFlowNodes(input({ project: p })).find((n) => n.id === 'sum')!;
    expect(sum.data).toMatchObject({ multiInput: true, inputCount: 2, takesInputs: true });
  });

  it('uses drag positions over the layout, and places nodes that have none', () => {
    const nodes = toFlowNodes(input({ positions: { fc1: { x: 1, y: 2 } } }));
    expect(nodes[1].position).toEqual({ x: 1, y: 2 });
    // No layout at all: the tidy layout, left to right by depth.
    const bare = nodePositions({ ...XOR, layout: {} });
    const xs = ['x', 'fc1', 'h1', 'fc2', 'y'].map((id) => bare[id].x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(5);
    // Some placed: the others go in a row under them, not on top of anything.
    const some = nodePositions({ ...XOR, layout: { x: { x: 40, y: 120 } } });
    expect(some.x).toEqual({ x: 40, y: 120 });
    expect(some.fc1.y).toBeGreaterThan(120 + NODE_SIZE.height);
    expect(some.h1.x).toBeGreaterThan(some.fc1.x);
  });
});

describe('adapter: project → vue-flow edges', () => {
  it('labels each edge with the shape flowing along it', () => {
    const edges = toFlowEdges(input());
    expect(edges.map((e) => e.id)).toEqual(['x->fc1', 'fc1->h1', 'h1->fc2', 'fc2->y']);
    expect(edges[1]).toMatchObject({
      source: 'fc1',
      target: 'h1',
      sourceHandle: 'out',
      targetHandle: 'in',
      type: 'shape',
      data: { shape: '[8]', errors: [], slot: null },
      ariaLabel: 'Edge fc1 → h1, [8]',
    });
    expect(toFlowEdges(input({ summary: null }))[0].data?.shape).toBe('');
  });

  it('marks an edge with a problem and numbers the inputs of merge nodes', () => {
    const p: ProjectInput = {
      ...XOR,
      nodes: [...XOR.nodes, { id: 'sum', type: 'Add', inputs: ['fc1', 'fc2'] }],
    };
    const edges = toFlowEdges(
      input({
        project: p,
        issuesByEdge: { 'fc2->sum': [{ path: 'nodes[5].inputs[1]', message: 'shape [1] ≠ [8]' }] },
        selectedEdges: new Set(['fc1->sum']),
      }),
    );
    const a = edges.find((e) => e.id === 'fc1->sum')!;
    const b = edges.find((e) => e.id === 'fc2->sum')!;
    expect(a.data?.slot).toBe(1);
    expect(a.selected).toBe(true);
    expect(b.data).toMatchObject({ slot: 2, errors: ['shape [1] ≠ [8]'] });
    expect(b.ariaLabel).toBe('Edge fc2 → sum, [1], error: shape [1] ≠ [8]');
    expect(b.selected).toBe(false);
  });
});

describe('adapter: dragging a connection', () => {
  it('marks which nodes can be the other end, and why the others cannot', () => {
    const check = (from: string, to: string) =>
      to === 'fc2' ? { ok: true as const } : { ok: false as const, reason: `no ${from}→${to}` };
    const marks = connectMarks(XOR, { nodeId: 'h1', handleType: 'source' }, check);
    expect(marks.h1).toBeUndefined();
    expect(marks.fc2).toEqual({ ok: true });
    expect(marks.x).toEqual({ ok: false, reason: 'no h1→x' });
    // Dragged from an input handle: the candidates are sources.
    const back = connectMarks(XOR, { nodeId: 'fc2', handleType: 'target' }, (f, t) =>
      f === 'h1' && t === 'fc2' ? { ok: true } : { ok: false, reason: 'no' },
    );
    expect(back.h1).toEqual({ ok: true });
    expect(back.y.ok).toBe(false);
    const nodes = toFlowNodes(input({ connectMarks: marks }));
    expect(nodes.find((n) => n.id === 'x')?.data?.connect).toEqual({
      ok: false,
      reason: 'no h1→x',
    });
  });
});

describe('adapter: vue-flow events → edits', () => {
  it('turns a drag end into one move of the nodes that moved, rounded', () => {
    expect(
      moveEdit(
        [
          { id: 'fc1', position: { x: 250.4, y: 99.6 } },
          { id: 'h1', position: { x: 360, y: 120 } },
        ],
        XOR.layout,
      ),
    ).toEqual({ type: 'moveNodes', positions: { fc1: { x: 250, y: 100 } } });
    expect(moveEdit([{ id: 'h1', position: { x: 360, y: 120 } }], XOR.layout)).toBeNull();
    expect(moveEdit([])).toBeNull();
  });

  it('takes keyboard nudges (position changes outside a drag) as moves', () => {
    expect(
      nudgedPositions([
        {
          id: 'a',
          type: 'position',
          dragging: true,
          position: { x: 1, y: 1 },
          from: { x: 0, y: 0 },
        },
        {
          id: 'b',
          type: 'position',
          dragging: false,
          position: { x: 5, y: 0 },
          from: { x: 0, y: 0 },
        },
        // The end of a drag: no position.
        {
          id: 'c',
          type: 'position',
          dragging: false,
          from: { x: 0, y: 0 },
        } as unknown as NodeChange,
        { id: 'd', type: 'select', selected: true },
      ]),
    ).toEqual([{ id: 'b', position: { x: 5, y: 0 } }]);
  });

  it('turns a connection into a connect edit', () => {
    expect(connectEdit({ source: 'h1', target: 'fc2' })).toEqual({
      type: 'connect',
      from: 'h1',
      to: 'fc2',
    });
  });

  it('deletes selected nodes and the selected edges that stay', () => {
    const edges = edgesOf(XOR);
    expect(deleteEdits(['h1'], ['fc1->h1', 'fc2->y'], edges)).toEqual([
      { type: 'removeNodes', ids: ['h1'] },
      { type: 'disconnect', from: 'fc2', to: 'y' },
    ]);
    expect(deleteEdits([], ['x->fc1', 'nope'], edges)).toEqual([
      { type: 'disconnect', from: 'x', to: 'fc1' },
    ]);
    expect(deleteEdits([], [], edges)).toEqual([]);
  });

  it('follows vue-flow selection changes', () => {
    expect(
      selectionAfter(
        ['x', 'fc1'],
        [
          { id: 'x', type: 'select', selected: false },
          { id: 'h1', type: 'select', selected: true },
        ],
      ),
    ).toEqual(['fc1', 'h1']);
    expect(
      selectionAfter(['x'], [{ id: 'x', type: 'dimensions', dimensions: { width: 1, height: 1 } }]),
    ).toBeNull();
  });

  it('centres a dropped layer on the drop point', () => {
    expect(dropEdit('Dense', { x: 300.2, y: 200 })).toEqual({
      type: 'addNode',
      nodeType: 'Dense',
      position: { x: Math.round(300.2 - NODE_SIZE.width / 2), y: 200 - NODE_SIZE.height / 2 },
    });
  });

  it('finds a free place to the right of a node', () => {
    const positions = { a: { x: 0, y: 0 }, b: { x: NODE_SIZE.width + 50, y: 0 } };
    const q = besidePosition(positions, 'a');
    expect(q.x).toBe(NODE_SIZE.width + 50);
    expect(q.y).toBeGreaterThanOrEqual(NODE_SIZE.height);
    expect(besidePosition({ a: { x: 10, y: 20 } }, 'a')).toEqual({
      x: 10 + NODE_SIZE.width + 50,
      y: 20,
    });
  });

  it('pastes where the pasted nodes cover no other node', () => {
    const clip = [
      { x: 200, y: 120 },
      { x: 520, y: 120 },
    ];
    const first = pasteOffset(clip, clip);
    expect(first.y).toBeGreaterThanOrEqual(NODE_SIZE.height);
    const pasted = clip.map((q) => ({ x: q.x + first.x, y: q.y + first.y }));
    const second = pasteOffset(clip, [...clip, ...pasted]);
    expect(second.y).toBeGreaterThan(first.y);
    expect(pasteOffset(clip, [])).toEqual(first);
  });
});
