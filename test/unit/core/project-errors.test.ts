import { describe, expect, it } from 'vitest';
import { compileProject } from '../../../core/graph/compile';
import { ProjectError, parseProject, parseProjectText } from '../../../core/graph/parse';
import { LayerRegistry } from '../../../core/layers/registry';
import { prepareTraining } from '../../../core/project/prepare';
import { LabError } from '../../../core/util/errors';
import { type NodeSpec, makeProject, mlp, nodeHost } from '../../helpers/project';

const registry = new LayerRegistry();
const compile = (p: unknown) => compileProject(parseProject(p), registry);

function problemOf(fn: () => unknown): ProjectError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProjectError);
    return e as ProjectError;
  }
  throw new Error('expected a ProjectError');
}

describe('broken project files are reported where they are wrong', () => {
  it('text that is not JSON: line and column', () => {
    const text = '{\n  "format": "backprop-lab.project",\n  "version": 1,,\n}';
    try {
      parseProjectText(text, 'bad.json');
      expect.unreachable();
    } catch (e) {
      const err = e as LabError;
      expect(err.code).toBe('PROJECT_SCHEMA');
      expect(err.message).toMatch(/^bad\.json: line 3, column \d+: not valid JSON/);
      expect(err.place.line).toBe(3);
    }
  });

  it('another file format, and a newer version', () => {
    expect(problemOf(() => parseProject({ format: 'onnx' })).message).toBe(
      'not a Backprop Lab project (format is "onnx")',
    );
    const p = { ...makeProject(mlp(1, 2)), version: 3 };
    expect(problemOf(() => parseProject(p)).message).toMatch(
      /version 3 is newer than this app reads \(2\)/,
    );
  });

  it('a missing field and a wrong type give their paths', () => {
    const p = makeProject(mlp(1, 2)) as Record<string, unknown>;
    delete p.loss;
    (p.nodes as { inputs?: unknown }[])[1].inputs = 'x';
    const err = problemOf(() => parseProject(p));
    expect(err.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['loss', 'nodes[1].inputs']),
    );
    expect(err.message).toMatch(/^2 problems in the project/);
    expect(err.issues.find((i) => i.path === 'nodes[1].inputs')?.node).toBe('fc1');
  });

  it('a misspelt key is not silently ignored', () => {
    const p = makeProject([{ id: 'x', type: 'Input', params: { shape: [2] } }]);
    (p.nodes[0] as Record<string, unknown>).input = ['x'];
    expect(problemOf(() => parseProject(p)).issues[0]).toMatchObject({
      path: 'nodes[0]',
      message: expect.stringMatching(/input/),
    });
  });

  it('an unknown loss and an unknown optimizer', () => {
    const p = makeProject(mlp(1, 2), { loss: { type: 'Hinge' as 'BCE' } });
    expect(problemOf(() => parseProject(p)).issues[0].path).toBe('loss.type');
    const q = makeProject(mlp(1, 2), { training: { optimizer: { type: 'rmsprop' } as never } });
    expect(problemOf(() => parseProject(q)).issues[0].path).toBe('training.optimizer.type');
  });

  it('an unknown layer type lists the available ones', () => {
    const nodes = mlp(1, 2);
    nodes[2] = { ...nodes[2], type: 'Tahn' };
    const err = problemOf(() => compile(makeProject(nodes)));
    expect(err.issues[0]).toMatchObject({ path: 'nodes[2].type', node: 'h1' });
    expect(err.message).toMatch(
      /node 'h1' \(Tahn\): unknown layer type 'Tahn' \(available: Input, Dense, .*Tanh/,
    );
  });

  it('a dangling input names the node and the missing input', () => {
    const nodes = mlp(1, 2);
    nodes[1] = { ...nodes[1], inputs: ['z'] };
    expect(problemOf(() => compile(makeProject(nodes))).message).toBe(
      "node 'fc1' (Dense): input 'z' does not exist",
    );
  });

  it('a cycle is shown as a path', () => {
    const nodes = mlp(2, 2);
    nodes[1] = { ...nodes[1], inputs: ['h2'] };
    const err = problemOf(() => compile(makeProject(nodes)));
    expect(err.message).toMatch(/the graph has a cycle: (fc1|h1|fc2|h2)( → (fc1|h1|fc2|h2)){4}/);
  });

  it('a duplicate id', () => {
    const nodes = mlp(1, 2);
    nodes[2] = { ...nodes[2], id: 'fc1' };
    expect(problemOf(() => compile(makeProject(nodes))).issues[0].message).toMatch(
      /the id 'fc1' is used by more than one node/,
    );
  });

  it('a shape mismatch at a merge names the node and the shapes', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'a', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
      { id: 'b', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'sum', type: 'Add', inputs: ['a', 'b'] },
    ];
    const err = problemOf(() => compile(makeProject(nodes)));
    expect(err.message).toBe(
      "node 'sum' (Add): inputs must have the same shape, got [4] and [3] (input shapes [4], [3])",
    );
  });

  it('bad and unknown parameters', () => {
    const nodes = mlp(1, 2);
    nodes[1] = { ...nodes[1], params: { units: 0, unit: 3 } };
    const err = problemOf(() => compile(makeProject(nodes)));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([
      ['nodes[1].params.units', "node 'fc1' (Dense): must be at least 1, got 0"],
      ['nodes[1].params.unit', "node 'fc1' (Dense): unknown parameter 'unit' (known: units, bias)"],
    ]);
  });

  it('the wrong number of inputs', () => {
    const nodes = mlp(1, 2);
    nodes[2] = { ...nodes[2], inputs: ['fc1', 'x'] };
    expect(problemOf(() => compile(makeProject(nodes))).message).toBe(
      "node 'h1' (Tanh): takes 1 input, got 2",
    );
    const add = [...mlp(1, 2).slice(0, 2), { id: 'add', type: 'Add', inputs: ['fc1'] }];
    expect(problemOf(() => compile(makeProject(add))).message).toBe(
      "node 'add' (Add): takes at least 2 inputs, got 1",
    );
  });

  it('a missing output node, and no Input node', () => {
    const p = { ...makeProject(mlp(1, 2)), output: 'yy' };
    expect(problemOf(() => compile(p)).message).toBe("the output node 'yy' does not exist");
    const q = makeProject([{ id: 'fc', type: 'Dense', params: { units: 1 } }]);
    expect(problemOf(() => compile(q)).issues.map((i) => i.message)).toContain(
      'the project has no Input node',
    );
  });

  it('several problems are all listed at once', () => {
    const nodes = mlp(2, 2);
    nodes[2] = { ...nodes[2], type: 'Nope' };
    nodes[3] = { ...nodes[3], inputs: ['h1', 'ghost'] };
    const err = problemOf(() => compile(makeProject(nodes)));
    expect(err.issues.map((i) => i.path)).toEqual([
      'nodes[2].type',
      'nodes[3].inputs[1]',
      'nodes[3].inputs',
    ]);
    expect(err.problems).toHaveLength(3);
  });

  it('data that does not fit the network', () => {
    const nodes = mlp(1, 2);
    nodes[0] = { ...nodes[0], params: { shape: [3] } };
    const p = parseProject(makeProject(nodes));
    expect(() => prepareTraining(p, { host: nodeHost })).toThrow(
      "the data 'xor' has 2 features per sample but the Input node 'x' has shape [3]",
    );
  });

  it('CrossEntropy with fewer output units than classes', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [4] } },
      { id: 'fc', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
    ];
    const p = parseProject(
      makeProject(nodes, { loss: { type: 'CrossEntropy' }, data: { source: 'builtin:iris' } }),
    );
    expect(() => prepareTraining(p, { host: nodeHost })).toThrow(
      "fc makes 2 values per sample; CrossEntropy needs 3 for the data's 3 classes, one logit each ('iris'): set fc's units to 3",
    );
  });

  it('BCE targets outside [0, 1]', () => {
    const p = parseProject(
      makeProject(mlp(1, 2), {
        data: {
          x: [
            [0, 0],
            [1, 1],
          ],
          y: [[0], [2]],
        },
      }),
    );
    expect(() => prepareTraining(p, { host: nodeHost })).toThrow(
      /^data\.y\[1\]: BCE needs targets between 0 and 1, got 2/,
    );
  });
});

describe('warnings for networks that work but are probably not meant', () => {
  it('BCE on logits', () => {
    const nodes = mlp(1, 2).slice(0, -1);
    expect(compile(makeProject(nodes)).warnings[0]).toMatch(
      /BCE expects probabilities, but the output node 'out' is Dense/,
    );
  });
});
