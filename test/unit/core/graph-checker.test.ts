// One graph checker for compile, the builder's live checks and the loose check of opened files:
// the same problems, worded once.
import { describe, expect, it } from 'vitest';
import { checkGraph, inputCountRule, nodeIssue, registryLayers } from '../../../core/graph/checker';
import { compileProject } from '../../../core/graph/compile';
import { ProjectError, parseProject } from '../../../core/graph/parse';
import { LayerRegistry } from '../../../core/layers/registry';
import { BUILTIN_LAYER_INFO, uiLayerLookup } from '../../../renderer/stores/layer-catalog';
import { inferShapes } from '../../../renderer/shapes/infer-shapes';
import { type NodeSpec, makeProject, mlp } from '../../helpers/project';

const registry = new LayerRegistry();

function compileIssues(nodes: NodeSpec[]): string[] {
  try {
    compileProject(parseProject(makeProject(nodes)), registry);
  } catch (e) {
    return (e as ProjectError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('the graph checker', () => {
  it('words the input-count rule once', () => {
    expect(inputCountRule({ min: 1, max: 1 })).toBe('takes 1 input');
    expect(inputCountRule({ min: 2, max: 2 })).toBe('takes 2 inputs');
    expect(inputCountRule({ min: 2, max: Infinity })).toBe('takes at least 2 inputs');
    expect(inputCountRule({ min: 2, max: 4 })).toBe('takes 2 to 4 inputs');
    expect(inputCountRule({ min: 0, max: 0 })).toBe('takes no inputs');
  });

  it('gives compile and the builder the same problems: compile lists them, the builder shows each on its node', () => {
    // Both problems are on the way to the output (nodes that do not feed it only warn).
    const nodes: NodeSpec[] = [
      ...mlp(1, 3).slice(0, 3),
      { id: 'sum', type: 'Add', inputs: ['h1'] },
      { id: 'bad', type: 'Dense', params: { units: 0 }, inputs: ['x'] },
      { id: 'y', type: 'Concat', inputs: ['sum', 'bad'] },
    ];
    const fromCompile = compileIssues(nodes);
    expect(fromCompile).toEqual([
      "nodes[3].inputs: node 'sum' (Add): takes at least 2 inputs, got 1",
      "nodes[4].params.units: node 'bad' (Dense): must be at least 1, got 0",
    ]);
    // The builder's inference on the UI thread (built-ins build there) and in the worker.
    for (const layers of [uiLayerLookup(BUILTIN_LAYER_INFO), registryLayers(registry)]) {
      const inferred = inferShapes({ nodes, output: 'y' }, layers).nodes;
      const shown = Object.entries(inferred)
        .filter(([, n]) => n.problem)
        .map(([id, n]) => {
          const index = nodes.findIndex((m) => m.id === id);
          const issue = nodeIssue(nodes[index], index, n.problem!);
          return `${issue.path}: ${issue.message}`;
        });
      expect(shown).toEqual(fromCompile);
      expect(inferred.fc1.outShape).toEqual([3]);
    }
  });

  it('finds topological order, cycles and reachability in one pass', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'a', type: 'Dense', params: { units: 2 }, inputs: ['x'] },
      { id: 'loop1', type: 'Add', inputs: ['a', 'loop2'] },
      { id: 'loop2', type: 'Tanh', inputs: ['loop1'] },
      { id: 'y', type: 'Sigmoid', inputs: ['a'], detach: true },
    ];
    const check = checkGraph({ nodes, output: 'y' }, registryLayers(registry));
    expect(check.order).toEqual(['x', 'a', 'y']);
    expect(new Set(check.cycle)).toEqual(new Set(['loop1', 'loop2']));
    expect(check.nodes.get('loop1')!.problems[0].kind).toBe('cycle');
    expect(check.nodes.get('a')!.used).toBe(true);
    expect(check.nodes.get('a')!.trainable).toBe(false); // behind the detach
    expect(check.nodes.get('loop1')!.used).toBe(false);
    expect(check.entries).toEqual(['x']);
    // The cycle does not feed the output: a warning, and the rest trains.
    expect(check.issues).toEqual([]);
    expect(check.warnings.map((i) => i.message)).toEqual([
      "node 'loop1' (Add): not connected to the output 'y', so training and export leave it out",
      "node 'loop2' (Tanh): not connected to the output 'y', so training and export leave it out",
      expect.stringMatching(/^the graph has a cycle: loop\d → loop\d → loop\d$/),
    ]);
  });
});
