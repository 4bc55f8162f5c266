// One test per rule of the graph checker: what stops training (on the way to the output), what
// is only a warning (a node that feeds nothing, whatever is wrong with it), and which node a
// width that does not fit the data is put on.
import { describe, expect, it } from 'vitest';
import { checkGraph, registryLayers, unusedWarning } from '../../../core/graph/checker';
import { compileProject } from '../../../core/graph/compile';
import { parseProject } from '../../../core/graph/parse';
import { widthSource } from '../../../core/graph/width-source';
import { LayerRegistry } from '../../../core/layers/registry';
import { prepareTraining } from '../../../core/project/prepare';
import { LabError } from '../../../core/util/errors';
import { type NodeSpec, makeProject, mlp, nodeHost } from '../../helpers/project';

const layers = registryLayers(new LayerRegistry());

/** The check's problems and warnings as `path: message`. */
function check(nodes: NodeSpec[], output = nodes[nodes.length - 1].id) {
  const c = checkGraph({ nodes, output }, layers);
  const text = (list: { path: string; message: string }[]) =>
    list.map((i) => `${i.path}: ${i.message}`);
  return { issues: text(c.issues), warnings: text(c.warnings), check: c };
}

/** The XOR network with `nodes` added after it (it ends at y). */
const xorWith = (...nodes: NodeSpec[]): NodeSpec[] => [...mlp(1, 4), ...nodes];
const Y = 'y';
const unused = (id: string, type: string, at: number) =>
  `nodes[${at}]: node '${id}' (${type}): not connected to the output '${Y}', so training and export leave it out`;

describe('graph rules: on the way to the output they stop training', () => {
  it('ids are unique, even between a used node and a stray one', () => {
    const r = check(xorWith({ id: 'fc1', type: 'ReLU', inputs: ['x'] }), Y);
    expect(r.issues).toEqual([
      "nodes[5].id: node 'fc1' (ReLU): the id 'fc1' is used by more than one node",
    ]);
  });

  it('a layer type must exist', () => {
    const nodes = mlp(1, 4);
    nodes[2] = { ...nodes[2], type: 'Tahn' };
    expect(check(nodes).issues).toEqual([
      expect.stringMatching(/^nodes\[2\]\.type: node 'h1' \(Tahn\): unknown layer type 'Tahn'/),
    ]);
  });

  it('an input must name a node, and not the node itself', () => {
    const dangling = mlp(1, 4);
    dangling[2] = { ...dangling[2], inputs: ['ghost'] };
    expect(check(dangling).issues).toEqual([
      "nodes[2].inputs[0]: node 'h1' (Tanh): input 'ghost' does not exist",
    ]);
    const self = mlp(1, 4);
    self[3] = { ...self[3], inputs: ['out'] };
    expect(check(self).issues).toEqual([
      "nodes[3].inputs[0]: node 'out' (Dense): a node cannot be its own input",
      'nodes: the graph has a cycle: out → out',
    ]);
  });

  it('a layer takes its number of inputs', () => {
    const nodes = mlp(1, 4);
    nodes[4] = { ...nodes[4], inputs: ['out', 'x'] };
    expect(check(nodes).issues).toEqual([
      "nodes[4].inputs: node 'y' (Sigmoid): takes 1 input, got 2",
    ]);
  });

  it('parameters are checked against their specs', () => {
    expect(check(mlp(1, 4, { out: { params: { units: 1.5 } } })).issues).toEqual([
      "nodes[3].params.units: node 'out' (Dense): expected a whole number, got 1.5",
    ]);
  });

  it('a layer build refuses input shapes it cannot take', () => {
    const nodes = xorWith({ id: 'sum', type: 'Add', inputs: ['fc1', 'x'] });
    expect(check(nodes).issues).toEqual([
      "nodes[5]: node 'sum' (Add): inputs must have the same shape, got [4] and [2] (input shapes [4], [2])",
    ]);
  });

  it('a cycle the output depends on', () => {
    const nodes = mlp(1, 4);
    nodes[1] = { ...nodes[1], inputs: ['h1'] };
    expect(check(nodes).issues).toEqual([
      expect.stringMatching(/^nodes: the graph has a cycle: (fc1 → h1 → fc1|h1 → fc1 → h1)$/),
    ]);
  });

  it('exactly one Input feeds the output', () => {
    const two = [
      { id: 'a', type: 'Input', params: { shape: [2] } },
      { id: 'b', type: 'Input', params: { shape: [2] } },
      { id: 'sum', type: 'Add', inputs: ['a', 'b'] },
    ];
    expect(check(two).issues).toEqual([
      'nodes: a project has exactly one Input node, found 2: a, b',
    ]);
    expect(check([{ id: 'fc', type: 'Dense', inputs: [] }]).issues).toContain(
      'nodes: the project has no Input node',
    );
  });

  it('the output node exists', () => {
    expect(check(mlp(1, 4), 'nope').issues).toEqual([
      "output: the output node 'nope' does not exist",
    ]);
  });

  it('of two Input nodes, the one the output does not depend on is a warning', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'other', type: 'Input', params: { shape: [2] } },
      { id: 'fc', type: 'Dense', inputs: ['other'] },
    ];
    const r = check(nodes);
    expect(r.issues).toEqual([]);
    expect(r.check.entries).toEqual(['other']);
    expect(r.warnings).toEqual([
      "nodes[0]: node 'x' (Input): not connected to the output 'fc', so training and export leave it out",
    ]);
  });
});

describe('graph rules: a node that feeds nothing is a warning, whatever is wrong with it', () => {
  it('a stray node with no inputs', () => {
    const r = check(xorWith({ id: 'relu1', type: 'ReLU' }), Y);
    expect(r.issues).toEqual([]);
    expect(r.warnings).toEqual([
      unused('relu1', 'ReLU', 5),
      "nodes[5].inputs: node 'relu1' (ReLU): takes 1 input, got 0",
    ]);
    expect(unusedWarning(r.check, Y)).toBe(
      "not connected to the output 'y', so training and export leave it out: relu1 (takes 1 input, got 0)",
    );
  });

  it('stray nodes of unknown type, bad parameters, dangling inputs, cycles and a second Input', () => {
    const r = check(
      xorWith(
        { id: 'odd', type: 'Nope', inputs: ['x'] },
        { id: 'bad', type: 'Dense', params: { units: 0 }, inputs: ['ghost'] },
        { id: 'l1', type: 'Tanh', inputs: ['l2'] },
        { id: 'l2', type: 'Tanh', inputs: ['l1'] },
        { id: 'x2', type: 'Input', params: { shape: [3] } },
      ),
      Y,
    );
    expect(r.issues).toEqual([]);
    expect(r.warnings.filter((w) => !w.includes('not connected'))).toEqual([
      expect.stringMatching(/^nodes\[5\]\.type: node 'odd' \(Nope\): unknown layer type 'Nope'/),
      "nodes[6].inputs[0]: node 'bad' (Dense): input 'ghost' does not exist",
      expect.stringMatching(/^nodes: the graph has a cycle: l\d → l\d → l\d$/),
    ]);
    expect(r.check.entries).toEqual(['x']);
    expect(unusedWarning(r.check, Y)).toMatch(
      /leave them out: odd \(unknown layer type .*\), bad \(input 'ghost' does not exist\), l1 \(on a cycle: .*\), l2 \(on a cycle: .*\), x2$/,
    );
  });

  it('compile leaves them out and keeps the rest as it is', () => {
    const p = parseProject(
      makeProject(xorWith({ id: 'relu1', type: 'ReLU' }, { id: 'odd', type: 'Nope' }), {
        output: Y,
      }),
    );
    const g = compileProject(p, new LayerRegistry());
    expect(g.nodes.map((n) => n.id)).toEqual(['x', 'fc1', 'h1', 'out', 'y']);
    expect(g.warnings[0]).toMatch(
      /^not connected to the output 'y', so training and export leave them out: relu1 \(takes 1 input, got 0\), odd /,
    );
    expect(p.nodes).toHaveLength(7);
  });

  it('without an output nothing can be left out: every problem stops training', () => {
    const r = check(xorWith({ id: 'relu1', type: 'ReLU' }), '');
    expect(r.warnings).toEqual([]);
    expect(r.issues).toContain("nodes[5].inputs: node 'relu1' (ReLU): takes 1 input, got 0");
  });
});

/** What training says of a project whose output does not fit the data (the error thrown). */
function fitError(nodes: NodeSpec[], over: Parameters<typeof makeProject>[1] = {}): LabError {
  try {
    prepareTraining(parseProject(makeProject(nodes, over)), { host: nodeHost });
  } catch (e) {
    return e as LabError;
  }
  throw new Error('expected the data not to fit');
}

describe('graph rules: an output width the data does not fit is put on the node that sets it', () => {
  it('through element-wise layers to the Dense, naming both and the fix', () => {
    const e = fitError(mlp(1, 4, { out: { params: { units: 8 } } }));
    expect(e.message).toBe(
      "out makes 8 values per sample and the output 'y' passes them on; BCE needs 1 for the data's 1 target column ('xor'): set out's units to 1",
    );
    expect(e.place).toMatchObject({ node: 'out', path: 'nodes[3].params.units' });
  });

  it('a Dense as wide as its input still sets the width', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'a', type: 'ReLU', inputs: ['fc'] },
      { id: 'y', type: 'Sigmoid', inputs: ['a'] },
    ];
    expect(fitError(nodes).place).toMatchObject({ node: 'fc', path: 'nodes[1].params.units' });
    const graph = compileProject(parseProject(makeProject(nodes)), new LayerRegistry());
    expect(widthSource(graph.byId, 'y')).toEqual({ node: 'fc', param: 'units', entry: false });
  });

  it('a merge sets the width without a parameter', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'cat', type: 'Concat', inputs: ['x', 'x'] },
      { id: 'y', type: 'Sigmoid', inputs: ['cat'] },
    ];
    const e = fitError(nodes);
    expect(e.message).toBe(
      "cat makes 4 values per sample and the output 'y' passes them on; BCE needs 1 for the data's 1 target column ('xor'): change cat so that it makes 1 value",
    );
    expect(e.place).toMatchObject({ node: 'cat', path: 'nodes[1]' });
  });

  it('the Input passed on: the output needs a layer before it', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'y', type: 'Sigmoid', inputs: ['x'] },
    ];
    const e = fitError(nodes);
    expect(e.message).toBe(
      "the output 'y' passes on the 2 values per sample of the Input node 'x'; BCE needs 1 for the data's 1 target column ('xor'): add a layer that makes 1 value (a Dense of 1 unit) before the output",
    );
    expect(e.place).toMatchObject({ node: 'y' });
  });

  it('CrossEntropy: one logit per class', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [4] } },
      { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'act', type: 'LeakyReLU', inputs: ['fc'] },
    ];
    const e = fitError(nodes, { loss: { type: 'CrossEntropy' }, data: { source: 'builtin:iris' } });
    expect(e.message).toBe(
      "fc makes 2 values per sample and the output 'act' passes them on; CrossEntropy needs 3 for the data's 3 classes, one logit each ('iris'): set fc's units to 3",
    );
  });

  it('MSE on two target columns', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [1] } },
      { id: 'fc', type: 'Dense', params: { units: 1 }, inputs: ['x'] },
    ];
    const data = {
      x: [[0], [1]],
      y: [
        [0, 1],
        [1, 0],
      ],
    };
    expect(fitError(nodes, { loss: { type: 'MSE' }, data }).message).toBe(
      "fc makes 1 value per sample; MSE needs 2 for the data's 2 target columns ('inline'): set fc's units to 2",
    );
  });
});
