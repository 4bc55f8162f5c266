// The memory report's detail: which tensor each kept buffer is, which gradients need it, and who
// else holds it. Numbers are the meter's (the same as without detail); the detail only names them.
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { TARGETS } from '../../../core/train/trainer';
import { makeProject, mlp, nodeHost } from '../../helpers/project';

const F32 = 4;

function trainer(extra: Parameters<typeof mlp>[2] = {}) {
  const project = parseProject(
    makeProject(mlp(1, 8, extra), { data: { source: 'builtin:xor', samples: 100 } }),
  );
  return prepareTraining(project, { host: nodeHost }).trainer;
}

describe('memory detail', () => {
  it('names every kept tensor and the gradients it is for, shared buffers counted once', () => {
    const r = trainer().measureMemory(16, { detail: true });
    expect(r.held).toEqual([
      {
        node: 'fc1',
        op: 'linear',
        for: ['fc1.weight'],
        shape: [16, 2],
        bytes: 16 * 2 * F32,
        tensor: 'x',
        role: 'input',
        phase: 'forward',
        alsoKeptBy: [],
      },
      {
        node: 'h1',
        op: 'tanh',
        for: ['fc1'],
        shape: [16, 8],
        bytes: 16 * 8 * F32,
        tensor: 'h1',
        role: 'output',
        phase: 'forward',
        alsoKeptBy: [{ node: 'out', op: 'linear', for: ['out.weight'], phase: 'forward' }],
      },
      {
        node: 'y',
        op: 'sigmoid',
        for: ['out'],
        shape: [16, 1],
        bytes: 16 * F32,
        tensor: 'y',
        role: 'output',
        phase: 'forward',
        alsoKeptBy: [{ node: '(loss)', op: 'BCE', for: ['y'], phase: 'forward' }],
      },
      {
        node: '(loss)',
        op: 'BCE',
        for: ['y'],
        shape: [16, 1],
        bytes: 16 * F32,
        tensor: TARGETS,
        role: 'input',
        phase: 'forward',
        alsoKeptBy: [],
      },
    ]);
    // The detail adds up to what the nodes are charged, and changes no number.
    const plain = trainer().measureMemory(16);
    expect(plain.held).toBeUndefined();
    expect({ ...r, held: undefined }).toEqual({ ...plain, held: undefined });
    const sum = r.held!.reduce((s, h) => s + h.bytes, 0);
    expect(sum).toBe(Object.values(r.nodes).reduce((s, n) => s + n.savedBytes, 0));
  });

  it('a frozen Dense with a trainable layer below keeps W for the input gradient (held anyway)', () => {
    const r = trainer({ out: { frozen: true } }).measureMemory(16, { detail: true });
    // out's weight is held anyway and never counted: out keeps nothing of its own.
    expect(r.held!.filter((h) => h.node === 'out')).toEqual([]);
    expect(r.held!.find((h) => h.node === 'h1')!.alsoKeptBy).toEqual([]);
  });

  it('a one-node recompute segment keeps its input, and the next layer still keeps its output', () => {
    const r = trainer({ h1: { memory: 'recompute' } }).measureMemory(16, { detail: true });
    const forward = r.held!.filter((h) => h.phase === 'forward');
    expect(forward.map((h) => [h.node, h.op, h.tensor, h.bytes])).toEqual([
      ['fc1', 'linear', 'x', 16 * 2 * F32],
      ['h1', 'recompute', 'fc1', 16 * 8 * F32],
      ['out', 'linear', 'h1', 16 * 8 * F32],
      ['y', 'sigmoid', 'y', 16 * F32],
      ['(loss)', 'BCE', TARGETS, 16 * F32],
    ]);
    // In backward, the segment runs tanh again and holds its output meanwhile.
    expect(r.held!.filter((h) => h.phase === 'backward')).toMatchObject([
      { node: 'h1', op: 'tanh', role: 'output', bytes: 16 * 8 * F32 },
    ]);
  });

  it('a batch larger than the training set takes its samples again: bytes grow with the batch', () => {
    const t = trainer();
    const small = t.measureMemory(40);
    const large = t.measureMemory(400); // 80 training samples, five times over
    for (const id of ['fc1', 'h1', 'y', '(loss)'])
      expect(large.nodes[id].savedBytes).toBe(10 * small.nodes[id].savedBytes);
    expect(large.peakSavedBytes).toBe(10 * small.peakSavedBytes);
  });
});
