import { beforeEach, describe, expect, it } from 'vitest';
import { insertOnEdge } from '../../../../renderer/builder/insert-on-edge';
import { useGraphStore } from '../../../../renderer/stores/graph';
import { BUILTIN_LAYER_INFO } from '../../../../renderer/stores/layer-catalog';
import { XOR, freshStores } from '../helpers/stores';

const info = (type: string) => BUILTIN_LAYER_INFO.find((l) => l.type === type)!;

describe('dropping a layer onto a connection', () => {
  let graph: ReturnType<typeof useGraphStore>;
  beforeEach(() => {
    freshStores();
    graph = useGraphStore();
    graph.load(XOR);
  });

  const edgeOf = (from: string, to: string) =>
    graph.edges.find((e) => e.from === from && e.to === to)!;

  it('puts the layer between the two nodes, as one undo step', () => {
    const before = graph.project;
    const plan = insertOnEdge(graph.project, info('ReLU'), edgeOf('h1', 'fc2'));
    if (!plan.ok) throw new Error(plan.reason);
    const r = graph.apply(plan.edit);
    expect(r.ok && r.ids).toEqual(['relu1']);
    expect(graph.node('relu1')).toMatchObject({ type: 'ReLU', inputs: ['h1'] });
    expect(graph.node('fc2')?.inputs).toEqual(['relu1']);
    // One column right of h1; fc2 and y move one column right to make room.
    const was = before.layout!;
    expect(graph.project.layout?.relu1).toEqual({ x: was.h1.x + 160, y: was.h1.y });
    expect(graph.project.layout?.fc2).toEqual({ x: was.fc2.x + 160, y: was.fc2.y });
    expect(graph.project.layout?.y).toEqual({ x: was.y.x + 160, y: was.y.y });
    expect(graph.project.layout?.fc1).toEqual(was.fc1);
    expect(graph.output).toBe('y');
    expect(graph.undoLabel).toBe('Insert ReLU between h1 and fc2');
    graph.undo();
    expect(graph.project).toBe(before);
    graph.redo();
    expect(graph.node('fc2')?.inputs).toEqual(['relu1']);
  });

  it('keeps the slot of a merge layer’s input', () => {
    graph.apply({ type: 'addNode', nodeType: 'Add', id: 'sum', inputs: ['fc1', 'x'] });
    graph.apply({ type: 'addNode', nodeType: 'Dense', id: 'side', inputs: ['x'] });
    const plan = insertOnEdge(graph.project, info('Tanh'), edgeOf('fc1', 'sum'));
    if (!plan.ok) throw new Error(plan.reason);
    graph.apply(plan.edit);
    expect(graph.node('sum')?.inputs).toEqual(['tanh1', 'x']);
  });

  it('is refused for an edge that is not there', () => {
    const r = graph.apply({ type: 'insertNode', nodeType: 'Tanh', from: 'x', to: 'fc2' });
    expect(r).toEqual({ ok: false, reason: "'x' is not an input of 'fc2'" });
  });

  it('refuses layers that cannot take exactly one input, saying why', () => {
    const merge = insertOnEdge(graph.project, info('Add'), edgeOf('h1', 'fc2'));
    expect(merge).toEqual({
      ok: false,
      reason: 'Add needs at least 2 inputs, so it cannot sit on one connection',
    });
    const input = insertOnEdge(graph.project, info('Input'), edgeOf('h1', 'fc2'));
    expect(input).toEqual({
      ok: false,
      reason: 'Input takes no input, so it cannot sit on one connection',
    });
  });
});
