// May an edge be drawn? Answered at once on the UI thread while the user drags a connection:
// a cycle, a target that takes no more inputs, or shapes that do not fit are refused with the
// reason. Plugin layers' shapes are only known from the worker's last answer.
import type { ProjectInput } from '../../core/graph/schema';
import { formatShape } from '../../core/tensor/tensor';
import { type LayerTable, inferShapes } from '../shapes/infer-shapes';
import type { SummaryNode } from '../worker/protocol-types';

export type ConnectCheck = { ok: true } | { ok: false; reason: string };

export function canConnect(
  p: ProjectInput,
  from: string,
  to: string,
  layers: LayerTable,
  known?: Record<string, SummaryNode>,
): ConnectCheck {
  const no = (reason: string): ConnectCheck => ({ ok: false, reason });
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const source = byId.get(from);
  const target = byId.get(to);
  if (!source) return no(`there is no node '${from}'`);
  if (!target) return no(`there is no node '${to}'`);
  if (from === to) return no('a node cannot be its own input');
  const ins = target.inputs ?? [];
  if (ins.includes(from)) return no(`'${from}' is already an input of '${to}'`);

  const info = layers.get(target.type);
  if (info) {
    const { max } = info.inputs;
    if (max === 0) return no(`'${to}' (${target.type}) takes no inputs`);
    if (ins.length >= max) {
      const has = ins.map((s) => `'${s}'`).join(', ');
      return no(
        `'${to}' (${target.type}) takes ${max === 1 ? 'one input' : `at most ${max} inputs`} and already has ${has}`,
      );
    }
  }

  const path = pathAlongInputs(byId, from, to);
  if (path) return no(`that would make a cycle: ${[...path, to].join(' → ')}`);

  const next: Pick<ProjectInput, 'nodes'> = {
    nodes: p.nodes.map((n) => (n.id === to ? { ...n, inputs: [...ins, from] } : n)),
  };
  const result = inferShapes(next, layers, known).nodes[to];
  if (result?.problem?.kind === 'build') {
    const outShape = inferShapes(p, layers, known).nodes[from]?.outShape;
    const what = outShape ? ` (${from} gives ${formatShape(outShape)})` : '';
    return no(`the shapes do not fit${what}: ${result.problem.message}`);
  }
  return { ok: true };
}

/** from → … → to along consumers: the nodes from `to` up to `from` if `from` depends on `to`. */
function pathAlongInputs(
  byId: Map<string, ProjectInput['nodes'][number]>,
  from: string,
  to: string,
): string[] | null {
  // Search upstream from `from`; reaching `to` means to → … → from already exists.
  const prev = new Map<string, string | null>([[from, null]]);
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) {
      const chain: string[] = [];
      for (let c: string | null = to; c !== null; c = prev.get(c)!) chain.push(c);
      return chain; // to, …, from
    }
    for (const s of byId.get(id)?.inputs ?? []) {
      if (!prev.has(s) && byId.has(s)) {
        prev.set(s, id);
        stack.push(s);
      }
    }
  }
  return null;
}
