import { describe, expect, it } from 'vitest';
import { compileProject } from '../../../core/graph/compile';
import { looseGraphIssues } from '../../../core/graph/loose-check';
import { ProjectError, parseProject } from '../../../core/graph/parse';
import { LayerRegistry } from '../../../core/layers/registry';
import { makeProject, mlp } from '../../helpers/project';

const registry = new LayerRegistry();
const known = new Set(registry.types());

describe('network problems in a project the schema refuses', () => {
  it('finds unknown types and dangling inputs, worded as compile words them', () => {
    const nodes = mlp(1, 2);
    nodes[1] = { ...nodes[1], inputs: ['ghost'] };
    nodes[2] = { ...nodes[2], type: 'NoSuchLayer' };
    const raw = makeProject(nodes);
    // The same problems from the compiler, on a project the schema accepts:
    let fromCompile: string[] = [];
    try {
      compileProject(parseProject(raw), registry);
    } catch (e) {
      fromCompile = (e as ProjectError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    const loose = looseGraphIssues({ ...raw, loss: { type: 'Hinge' } }, known).map(
      (i) => `${i.path}: ${i.message}`,
    );
    expect(loose.sort()).toEqual(fromCompile.sort());
    expect(loose).toHaveLength(2);
  });

  it('ignores what it cannot read', () => {
    expect(looseGraphIssues(null, known)).toEqual([]);
    expect(looseGraphIssues({ nodes: 'x' }, known)).toEqual([]);
    expect(looseGraphIssues({ nodes: [null, 3, { type: 'Dense' }] }, known)).toEqual([]);
  });
});
