import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../../core/graph/schema';
import { addLayer, addLayerEdit } from '../../../../renderer/builder/add-layer';
import { NODE_SIZE } from '../../../../renderer/builder/adapter';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { XOR, freshStores } from '../helpers/stores';

const center = { x: 500, y: 300 };
const never = () => false;

describe('adding a layer by keyboard or double-click', () => {
  it('goes to the centre of the view when no single node is selected', () => {
    for (const selection of [[], ['x', 'fc1']]) {
      expect(addLayerEdit('Dense', { project: XOR, selection, center, fits: never })).toEqual({
        type: 'addNode',
        nodeType: 'Dense',
        position: { x: 500 - NODE_SIZE.width / 2, y: 300 - NODE_SIZE.height / 2 },
      });
    }
  });

  it('goes right of the selected node, fed by it when that fits', () => {
    const seen: [string, string, ProjectInput][] = [];
    const e = addLayerEdit('ReLU', {
      project: XOR,
      selection: ['y'],
      center,
      fits: (p, from, to) => {
        seen.push([from, to, p]);
        return true;
      },
    });
    expect(e).toMatchObject({ type: 'addNode', nodeType: 'ReLU', id: 'relu1', inputs: ['y'] });
    expect(e.type === 'addNode' && e.position!.x).toBeGreaterThan(XOR.layout!.y.x);
    // The check ran on the project with the new node in it.
    expect(seen[0][0]).toBe('y');
    expect(seen[0][1]).toBe('relu1');
    expect(seen[0][2].nodes.some((n) => n.id === 'relu1')).toBe(true);
    const alone = addLayerEdit('ReLU', { project: XOR, selection: ['y'], center, fits: never });
    expect(alone.type === 'addNode' && alone.inputs).toBeUndefined();
  });
});

describe('addLayer through the graph store', () => {
  let graph: ReturnType<typeof useGraphStore>;
  beforeEach(() => {
    freshStores();
    graph = useGraphStore();
    graph.load(XOR);
  });

  it('connects the new layer to the selected one when the store allows it (one undo step)', () => {
    graph.select(['h1']);
    const r = addLayer('Dense');
    expect(r.ok && r.ids).toEqual(['dense1']);
    expect(graph.node('dense1')?.inputs).toEqual(['h1']);
    expect(graph.selection).toEqual(['dense1']);
    graph.undo();
    expect(graph.node('dense1')).toBeUndefined();
  });

  it('adds an Input unconnected: it takes no inputs', () => {
    graph.select(['h1']);
    addLayer('Input');
    expect(graph.node('input1')?.inputs).toBeUndefined();
  });

  it('places it in the middle without a canvas or a selection', () => {
    const r = addLayer('Tanh');
    expect(r.ok).toBe(true);
    expect(graph.position('tanh1')).toBeDefined();
  });
});
