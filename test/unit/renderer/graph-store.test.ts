import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../core/graph/schema';
import { useGraphStore } from '../../../renderer/stores/graph';
import { usePluginsStore } from '../../../renderer/stores/plugins';
import type { FakeWorker } from './helpers/fake-worker';
import { XOR, flush, freshStores, summaryOf } from './helpers/stores';

let worker: FakeWorker;
let graph: ReturnType<typeof useGraphStore>;

beforeEach(() => {
  ({ worker } = freshStores());
  graph = useGraphStore();
  graph.load(XOR);
});

const ids = () => graph.nodes.map((n) => n.id);
const inputsOf = (id: string) => graph.node(id)?.inputs ?? [];

/** Apply, check, undo (back to before), redo (forward again). */
function roundTrip(edit: Parameters<typeof graph.apply>[0], check: () => void) {
  const before = graph.project;
  const r = graph.apply(edit);
  expect(r.ok, r.ok ? '' : r.reason).toBe(true);
  const after = graph.project;
  expect(after).not.toBe(before);
  check();
  expect(graph.undo()).toBe(true);
  expect(graph.project).toBe(before);
  expect(graph.redo()).toBe(true);
  expect(graph.project).toBe(after);
  check();
}

describe('graph store: edits with undo and redo', () => {
  it('addNode names nodes after their type and places them', () => {
    roundTrip(
      { type: 'addNode', nodeType: 'Dense', params: { units: 3 }, position: { x: 5, y: 6 } },
      () => {
        expect(graph.node('dense1')).toEqual({ id: 'dense1', type: 'Dense', params: { units: 3 } });
        expect(graph.position('dense1')).toEqual({ x: 5, y: 6 });
      },
    );
    const r = graph.apply({ type: 'addNode', nodeType: 'Dense' });
    expect(r.ok && r.ids).toEqual(['dense2']);
    expect(graph.selection).toEqual(['dense2']);
    expect(graph.apply({ type: 'addNode', nodeType: 'Dense', id: 'fc1' })).toEqual({
      ok: false,
      reason: "the id 'fc1' is already used",
    });
  });

  it('removeNodes drops the nodes, the edges into them and their layout', () => {
    roundTrip({ type: 'removeNodes', ids: ['h1'] }, () => {
      expect(ids()).toEqual(['x', 'fc1', 'fc2', 'y']);
      expect(inputsOf('fc2')).toEqual([]);
      expect(graph.position('h1')).toBeUndefined();
    });
  });

  it('connect and disconnect', () => {
    graph.apply({ type: 'addNode', nodeType: 'Dense' });
    roundTrip({ type: 'connect', from: 'x', to: 'dense1' }, () => {
      expect(inputsOf('dense1')).toEqual(['x']);
      expect(graph.edges.map((e) => e.id)).toContain('x->dense1');
    });
    roundTrip({ type: 'disconnect', from: 'x', to: 'dense1' }, () => {
      expect(inputsOf('dense1')).toEqual([]);
    });
  });

  it('setParams merges, and undefined goes back to the default', () => {
    roundTrip({ type: 'setParams', id: 'fc1', params: { units: 16, bias: false } }, () => {
      expect(graph.node('fc1')!.params).toEqual({ units: 16, bias: false });
    });
    roundTrip(
      { type: 'setParams', id: 'fc1', params: { units: undefined, bias: undefined } },
      () => {
        expect(graph.node('fc1')!.params).toBeUndefined();
      },
    );
  });

  it('setFlags keeps only what differs from the defaults', () => {
    roundTrip(
      { type: 'setFlags', id: 'fc1', flags: { frozen: true, detach: true, memory: 'recompute' } },
      () => {
        expect(graph.node('fc1')).toMatchObject({
          frozen: true,
          detach: true,
          memory: 'recompute',
        });
      },
    );
    roundTrip(
      { type: 'setFlags', id: 'fc1', flags: { frozen: false, detach: false, memory: 'store' } },
      () => {
        expect(Object.keys(graph.node('fc1')!)).toEqual(['id', 'type', 'params', 'inputs']);
      },
    );
  });

  it('rename carries edges, the output, the layout and the selection along', () => {
    graph.select(['y']);
    graph.apply({ type: 'rename', id: 'y', newId: 'prob' });
    expect(graph.selection).toEqual(['prob']);
    graph.undo();
    roundTrip({ type: 'rename', id: 'y', newId: 'prob' }, () => {
      expect(graph.output).toBe('prob');
      expect(graph.position('prob')).toEqual({ x: 680, y: 120 });
    });
    roundTrip({ type: 'rename', id: 'h1', newId: 'hidden' }, () => {
      expect(inputsOf('fc2')).toEqual(['hidden']);
    });
    expect(graph.apply({ type: 'rename', id: 'fc1', newId: 'fc2' })).toMatchObject({ ok: false });
    expect(graph.apply({ type: 'rename', id: 'fc1', newId: '2fast' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a valid id'),
    });
  });

  it('project settings: output, loss, data, training, name, description, plugins', () => {
    roundTrip({ type: 'setOutput', id: 'fc2' }, () => expect(graph.output).toBe('fc2'));
    roundTrip({ type: 'setLoss', loss: { type: 'BCEWithLogits' } }, () =>
      expect(graph.project.loss).toEqual({ type: 'BCEWithLogits' }),
    );
    roundTrip({ type: 'setData', data: { source: 'builtin:moons', samples: 300 } }, () =>
      expect(graph.project.data).toEqual({ source: 'builtin:moons', samples: 300 }),
    );
    roundTrip(
      { type: 'setTraining', training: { epochs: 7, optimizer: { type: 'adam', lr: 0.01 } } },
      () =>
        expect(graph.project.training).toMatchObject({
          epochs: 7,
          batchSize: 16,
          optimizer: { type: 'adam', lr: 0.01 },
        }),
    );
    roundTrip({ type: 'setName', name: 'Mine' }, () => expect(graph.project.name).toBe('Mine'));
    roundTrip({ type: 'setDescription', description: 'notes' }, () =>
      expect(graph.project.description).toBe('notes'),
    );
    roundTrip({ type: 'setPlugins', plugins: ['./wacky.js'] }, () =>
      expect(graph.project.plugins).toEqual(['./wacky.js']),
    );
  });

  it('replaceProject is one undo step', () => {
    const other: ProjectInput = {
      ...XOR,
      name: 'Other',
      nodes: [{ id: 'x', type: 'Input' }],
      output: 'x',
    };
    roundTrip({ type: 'replaceProject', project: other }, () => expect(ids()).toEqual(['x']));
  });

  it('keeps the project frozen: only apply() changes it', () => {
    expect(Object.isFrozen(graph.project.nodes[1].params)).toBe(true);
    expect(() => {
      (graph.project.nodes as unknown[]).push({});
    }).toThrow();
  });

  it('refused edits change nothing and record nothing', () => {
    const before = graph.project;
    expect(graph.apply({ type: 'setParams', id: 'nope', params: { units: 1 } })).toEqual({
      ok: false,
      reason: "there is no node 'nope'",
    });
    expect(graph.project).toBe(before);
    expect(graph.canUndo).toBe(false);
  });
});

describe('graph store: moves, history and the dirty flag', () => {
  it('merges consecutive moves of the same nodes into one undo step', () => {
    for (let i = 1; i <= 10; i++)
      graph.apply({ type: 'moveNodes', positions: { fc1: { x: 200 + i, y: 120 } } });
    expect(graph.undoLabel).toBe('Move fc1');
    graph.undo();
    expect(graph.position('fc1')).toEqual({ x: 200, y: 120 });
    expect(graph.canUndo).toBe(false);
  });

  it('starts a new step for other nodes, after another edit, and after sealHistory()', () => {
    graph.apply({ type: 'moveNodes', positions: { fc1: { x: 1, y: 1 } } });
    graph.apply({ type: 'moveNodes', positions: { h1: { x: 2, y: 2 } } });
    graph.apply({ type: 'moveNodes', positions: { h1: { x: 3, y: 3 } } });
    graph.sealHistory();
    graph.apply({ type: 'moveNodes', positions: { h1: { x: 4, y: 4 } } });
    graph.undo();
    expect(graph.position('h1')).toEqual({ x: 3, y: 3 });
    graph.undo();
    expect(graph.position('h1')).toEqual({ x: 360, y: 120 });
    expect(graph.position('fc1')).toEqual({ x: 1, y: 1 });
  });

  it('is clean after load, dirty after an edit, clean again after undoing it or saving', () => {
    expect(graph.dirty).toBe(false);
    graph.apply({ type: 'setName', name: 'changed' });
    expect(graph.dirty).toBe(true);
    graph.undo();
    expect(graph.dirty).toBe(false);
    graph.redo();
    graph.markSaved();
    expect(graph.dirty).toBe(false);
    graph.undo();
    expect(graph.dirty).toBe(true);
    graph.load(XOR, { dirty: true });
    expect(graph.dirty).toBe(true);
    expect(graph.canUndo).toBe(false);
  });

  it('keeps at most 200 steps', () => {
    for (let i = 0; i < 250; i++) graph.apply({ type: 'setName', name: `n${i}` });
    let n = 0;
    while (graph.undo()) n++;
    expect(n).toBe(200);
    expect(graph.project.name).toBe('n49');
  });

  it('a new edit clears redo', () => {
    graph.apply({ type: 'setName', name: 'a' });
    graph.undo();
    expect(graph.canRedo).toBe(true);
    graph.apply({ type: 'setName', name: 'b' });
    expect(graph.canRedo).toBe(false);
  });
});

describe('graph store: selection, copy, cut and paste', () => {
  it('pastes copies with fresh ids, keeping only the edges inside the selection', () => {
    graph.select(['fc1', 'h1']);
    const clip = graph.copy()!;
    expect(clip.nodes.map((n) => [n.id, n.inputs])).toEqual([
      ['fc1', undefined],
      ['h1', ['fc1']],
    ]);
    const r = graph.paste();
    expect(r.ok && r.ids).toEqual(['dense1', 'tanh1']);
    expect(graph.node('dense1')).toEqual({ id: 'dense1', type: 'Dense', params: { units: 8 } });
    expect(graph.node('tanh1')).toEqual({ id: 'tanh1', type: 'Tanh', inputs: ['dense1'] });
    expect(graph.position('dense1')).toEqual({ x: 240, y: 160 });
    expect(graph.selection).toEqual(['dense1', 'tanh1']);
    // Pasting again lands further along.
    graph.paste();
    expect(graph.position('dense2')).toEqual({ x: 280, y: 200 });
    graph.undo();
    graph.undo();
    expect(ids()).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
  });

  it('pastes clipboard text, and refuses text that is not a clip', () => {
    graph.select(['fc2']);
    const text = graph.clipText(graph.copy())!;
    graph.load(XOR);
    expect(graph.paste(text)).toMatchObject({ ok: true, ids: ['dense1'] });
    expect(graph.paste('{"not":"a clip"}')).toEqual({
      ok: false,
      reason: 'there is nothing to paste',
    });
  });

  it('cut removes the nodes in one undo step', () => {
    graph.select(['h1', 'fc2']);
    graph.cut();
    expect(ids()).toEqual(['x', 'fc1', 'y']);
    expect(inputsOf('y')).toEqual([]);
    expect(graph.selection).toEqual([]);
    graph.undo();
    expect(ids()).toEqual(['x', 'fc1', 'h1', 'fc2', 'y']);
  });

  it('select replaces, adds or toggles; unknown ids are ignored', () => {
    graph.select(['x', 'nope']);
    expect(graph.selection).toEqual(['x']);
    graph.select(['fc1'], 'add');
    expect(graph.selection).toEqual(['x', 'fc1']);
    graph.select(['x', 'h1'], 'toggle');
    expect(graph.selection).toEqual(['fc1', 'h1']);
    graph.selectAll();
    expect(graph.selection).toHaveLength(5);
    graph.deleteSelection();
    expect(graph.nodes).toEqual([]);
  });
});

describe('graph store: the output follows a network being built', () => {
  it('from an empty canvas, the output is the end of the chain', () => {
    graph.load({ ...XOR, nodes: [], output: '', layout: {} });
    graph.apply({ type: 'addNode', nodeType: 'Input' });
    expect(graph.output).toBe('input1');
    graph.apply({ type: 'addNode', nodeType: 'Dense' });
    expect(graph.output).toBe('input1');
    graph.apply({ type: 'connect', from: 'input1', to: 'dense1' });
    expect(graph.output).toBe('dense1');
    graph.apply({ type: 'addNode', nodeType: 'Sigmoid', inputs: ['dense1'] });
    expect(graph.output).toBe('sigmoid1');
  });

  it('an output that is still an end node stays', () => {
    graph.apply({ type: 'addNode', nodeType: 'Dense', inputs: ['h1'] });
    expect(graph.output).toBe('y');
  });
});

describe('graph store: canConnect', () => {
  beforeEach(() => {
    graph.apply({ type: 'addNode', nodeType: 'Dense', id: 'd' });
    graph.apply({ type: 'addNode', nodeType: 'Add', id: 'sum', inputs: ['fc1'] });
  });

  it('refuses a node as its own input, and an edge that exists', () => {
    expect(graph.canConnect('d', 'd')).toEqual({
      ok: false,
      reason: 'a node cannot be its own input',
    });
    expect(graph.canConnect('x', 'fc1')).toEqual({
      ok: false,
      reason: "'x' is already an input of 'fc1'",
    });
  });

  it('refuses inputs to an Input node and to a full single-input node', () => {
    expect(graph.canConnect('d', 'x')).toEqual({
      ok: false,
      reason: "'x' (Input) takes no inputs",
    });
    expect(graph.canConnect('d', 'h1')).toEqual({
      ok: false,
      reason: "'h1' (Tanh) takes one input and already has 'fc1'",
    });
  });

  it('refuses a cycle, naming it', () => {
    graph.apply({ type: 'addNode', nodeType: 'Tanh', id: 't', inputs: ['y'] });
    expect(graph.canConnect('t', 'd')).toEqual({ ok: true });
    graph.apply({ type: 'connect', from: 't', to: 'd' });
    graph.apply({ type: 'disconnect', from: 'x', to: 'fc1' });
    expect(graph.canConnect('y', 'fc1')).toEqual({
      ok: false,
      reason: 'that would make a cycle: fc1 → h1 → fc2 → y → fc1',
    });
  });

  it('refuses shapes that do not fit, and accepts those that do', () => {
    // sum already has fc1 ([8]); x is [2].
    expect(graph.canConnect('x', 'sum')).toEqual({
      ok: false,
      reason:
        'the shapes do not fit (x gives [2]): inputs must have the same shape, got [8] and [2] (input shapes [8], [2])',
    });
    expect(graph.canConnect('h1', 'sum')).toEqual({ ok: true });
    expect(graph.apply({ type: 'connect', from: 'x', to: 'sum' })).toMatchObject({ ok: false });
    expect(inputsOf('sum')).toEqual(['fc1']);
  });

  it('accepts plugin layers it cannot build here, leaving shapes to the worker', () => {
    const plugins = usePluginsStore();
    worker.emit({
      type: 'plugins',
      statuses: [
        {
          file: 'app:gated-sum.js',
          ok: true,
          layers: [
            {
              type: 'GatedSum',
              description: '',
              category: 'Examples',
              params: {},
              inputs: { min: 2, max: 2 },
              hasBackward: true,
              file: 'app:gated-sum.js',
              check: {
                ok: true,
                inShapes: [[4], [4]],
                gradcheck: {} as never,
                autograd: null,
                fused: null,
              },
            },
          ],
        },
      ],
    });
    expect(plugins.layerInfo('GatedSum')?.source).toBe('app:gated-sum.js');
    graph.apply({ type: 'addNode', nodeType: 'GatedSum', id: 'g', inputs: ['fc1'] });
    expect(graph.canConnect('x', 'g')).toEqual({ ok: true });
    graph.apply({ type: 'connect', from: 'x', to: 'g' });
    expect(graph.canConnect('h1', 'g')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('at most 2'),
    });
  });
});

describe('graph store: validation by the worker', () => {
  it('asks once per batch of edits, not for moves, and keeps the answer', async () => {
    await flush();
    worker.sent = [];
    worker.waiting = [];
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 4 } });
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 5 } });
    await flush();
    expect(worker.sentOf('compile')).toHaveLength(1);
    expect(worker.sentOf('compile')[0].project.nodes[1].params).toEqual({ units: 5 });
    graph.apply({ type: 'moveNodes', positions: { fc1: { x: 0, y: 0 } } });
    await flush();
    expect(worker.sentOf('compile')).toHaveLength(1);
    expect(graph.validating).toBe(true);
    worker.answer('compile', (m) => ({
      type: 'compiled',
      id: m.id,
      summary: summaryOf({
        fc1: {
          outShape: [5],
          inShapes: [[2]],
          paramCount: 15,
          trainable: true,
          used: true,
          weights: {},
        },
      }),
    }));
    await flush();
    expect(graph.summary?.nodes.fc1.outShape).toEqual([5]);
    expect(graph.validating).toBe(false);
  });

  it('drops an answer to an older check', async () => {
    await flush();
    worker.waiting = [];
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 4 } });
    await flush();
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 5 } });
    await flush();
    // The newer answer first, then the stale one.
    const second = worker.waiting[1].msg.id;
    worker.waiting[1].resolve({ type: 'compiled', id: second, summary: summaryOf({}, true) });
    await flush();
    worker.answer('compile', (m) => ({
      type: 'compileError',
      id: m.id,
      error: { code: 'PROJECT_GRAPH', message: 'old', place: {} },
      summary: summaryOf({}, false),
    }));
    await flush();
    expect(graph.compileError).toBeNull();
    expect(graph.summary?.ok).toBe(true);
  });

  it('places problems on nodes, fields and edges', async () => {
    await flush();
    worker.waiting = [];
    graph.apply({ type: 'setParams', id: 'fc1', params: { units: 0 } });
    await flush();
    worker.answer('compile', (m) => ({
      type: 'compileError',
      id: m.id,
      error: {
        code: 'PROJECT_GRAPH',
        message: '3 problems',
        place: {},
        issues: [
          { path: 'nodes[1].params.units', node: 'fc1', message: 'must be at least 1, got 0' },
          { path: 'nodes[2].inputs[0]', message: "input 'fc1' does not exist" },
          { path: 'loss.type', message: 'BCE expects probabilities' },
        ],
      },
      summary: summaryOf({}, false),
    }));
    await flush();
    expect(graph.fieldIssues('fc1')).toEqual({ 'params.units': ['must be at least 1, got 0'] });
    expect(graph.issuesByNode.h1).toHaveLength(1);
    expect(Object.keys(graph.issuesByEdge)).toEqual(['fc1->h1']);
    expect(graph.projectIssues.map((i) => i.path)).toEqual(['loss.type']);
  });

  it('shows on its nodes that a plugin broke', async () => {
    const plugins = usePluginsStore();
    const layer = {
      type: 'Wacky',
      description: '',
      category: 'Examples',
      params: {},
      inputs: { min: 1, max: 1 },
      hasBackward: true,
      file: 'user:wacky.js',
      check: { ok: true, inShapes: [[4]], gradcheck: {} as never, autograd: null, fused: null },
    };
    worker.emit({
      type: 'plugins',
      statuses: [{ file: 'user:wacky.js', ok: true, layers: [layer] }],
    });
    graph.apply({ type: 'addNode', nodeType: 'Wacky', id: 'w', inputs: ['fc1'] });
    expect(graph.issuesByNode.w).toBeUndefined();
    worker.emit({
      type: 'plugins',
      statuses: [
        {
          file: 'user:wacky.js',
          ok: false,
          error: { message: 'user:wacky.js:3:1: syntax error' },
          layers: [],
        },
      ],
    });
    expect(plugins.typeProblem('Wacky')).toContain('is broken');
    expect(graph.issuesByNode.w[0].message).toBe(
      'the plugin user:wacky.js that defines Wacky is broken: user:wacky.js:3:1: syntax error',
    );
    // The network is kept.
    expect(graph.node('w')).toBeDefined();
  });

  it('checks again when a restarted worker is up', async () => {
    await flush();
    worker.sent = [];
    worker.restart('stuck');
    await flush();
    expect(worker.sentOf('compile')).toHaveLength(1);
  });
});

describe('graph store: tidy layout', () => {
  it('puts nodes in columns by depth, as one undo step', () => {
    graph.apply({ type: 'addNode', nodeType: 'Dense', id: 'side', inputs: ['x'] });
    graph.tidy();
    const x = (id: string) => graph.position(id)!.x;
    expect([x('x'), x('fc1'), x('h1'), x('fc2'), x('y')]).toEqual([40, 240, 440, 640, 840]);
    expect(x('side')).toBe(240);
    expect(graph.position('fc1')!.y).not.toBe(graph.position('side')!.y);
    graph.undo();
    expect(graph.position('fc1')).toEqual({ x: 200, y: 120 });
  });

  it('spaces columns by the widest node drawn in each, and rows by the tallest', () => {
    const sizes = {
      x: { width: 100, height: 40 },
      fc1: { width: 130, height: 96 },
      h1: { width: 110, height: 96 },
      fc2: { width: 120, height: 60 },
      y: { width: 120, height: 80 },
    };
    graph.tidy(sizes);
    const x = (id: string) => graph.position(id)!.x;
    // Each column starts 44 px after the widest node of the one before.
    expect([x('x'), x('fc1'), x('h1'), x('fc2'), x('y')]).toEqual([40, 184, 358, 512, 676]);
  });
});

describe('batch edits', () => {
  it('apply several edits as one undo step, all or nothing', () => {
    const graph = useGraphStore();
    const before = graph.project;
    const h1 = graph.project.nodes.find((n) => n.type === 'Tanh')!.id;
    const first = graph.project.nodes.find((n) => n.type === 'Dense')!.id;
    const r = graph.apply({
      type: 'batch',
      label: 'Delete 2 items',
      edits: [
        { type: 'removeNodes', ids: [h1] },
        { type: 'setFlags', id: first, flags: { frozen: true } },
      ],
    });
    expect(r.ok).toBe(true);
    expect(graph.project.nodes.some((n) => n.id === h1)).toBe(false);
    expect(graph.undoLabel).toContain('Delete 2 items');
    graph.undo();
    expect(graph.project).toEqual(before);
    const bad = graph.apply({
      type: 'batch',
      label: 'x',
      edits: [
        { type: 'setFlags', id: first, flags: { frozen: true } },
        { type: 'setFlags', id: 'no-such-node', flags: { frozen: true } },
      ],
    });
    expect(bad.ok).toBe(false);
    expect(graph.project).toEqual(before);
  });
});
