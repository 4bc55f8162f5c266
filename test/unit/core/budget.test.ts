// Issue 12, absurd sizes: a network, a gradient check or a data set that would need more memory
// than the budget is refused from its shapes, before anything is allocated, naming the node, its
// parameter count and the bytes.
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MEMORY_BUDGET,
  checkDataBudget,
  formatBudgetBytes,
  formatCount,
  memoryBudget,
  networkBudgetProblems,
  setMemoryBudget,
} from '../../../core/graph/budget';
import { compileProject } from '../../../core/graph/compile';
import { ProjectError, parseProject } from '../../../core/graph/parse';
import { resolveData } from '../../../core/data/resolve';
import { gradcheckLayer } from '../../../core/gradcheck';
import { BUILTIN_LAYERS } from '../../../core/layers/builtin';
import { LayerRegistry } from '../../../core/layers/registry';
import { makeProject } from '../../helpers/project';

afterEach(() => setMemoryBudget(DEFAULT_MEMORY_BUDGET));

const GIB = 1024 ** 3;
const budget = { bytes: 8 * GIB, note: 'set by the test' };

function dense(units: number, optimizer?: object) {
  const p = makeProject([
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc1', type: 'Dense', params: { units }, inputs: ['x'] },
    { id: 'h', type: 'Tanh', inputs: ['fc1'] },
    { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['h'] },
    { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
  ]);
  if (optimizer) p.training = { ...p.training, optimizer: optimizer as never };
  return parseProject(p);
}

function compileError(project: ReturnType<typeof parseProject>): ProjectError {
  try {
    compileProject(project, new LayerRegistry());
  } catch (e) {
    if (e instanceof ProjectError) return e;
    throw e;
  }
  throw new Error('compiled');
}

describe('the network budget', () => {
  it('refuses units: 2e9, naming the node, its parameter count and the bytes', () => {
    setMemoryBudget(budget);
    const e = compileError(dense(2e9));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].node).toBe('fc1');
    expect(e.issues[0].path).toBe('nodes[1]');
    // 6e9 parameters (weight 2e9 × 2, bias 2e9), 4 bytes each, with their gradients.
    expect(e.message).toBe(
      "node 'fc1' (Dense): needs about 402 GiB to train (6,000,000,000 parameters: 44.7 GiB with their gradients; 2,000,000,000 outputs per sample: 358 GiB at batch 16); the network needs about 775 GiB in all, over the memory budget of 8.0 GiB (set by the test)",
    );
  });

  it('counts the optimizer state: momentum keeps one more copy of every weight, Adam two', () => {
    setMemoryBudget({ bytes: 100 * 1024 ** 2, note: 'test' });
    // 10,000,000 parameters: 40 MB a copy; with gradients 80 MB, momentum 120 MB, Adam 160 MB.
    const need = [{ id: 'w', type: 'Dense', paramCount: 1e7, outSize: 1, trainable: true }];
    expect(
      networkBudgetProblems(need, 1, { type: 'sgd', lr: 1, momentum: 0, weightDecay: 0 }),
    ).toEqual([]);
    const momentum = networkBudgetProblems(need, 1, {
      type: 'sgd',
      lr: 1,
      momentum: 0.9,
      weightDecay: 0,
    });
    expect(momentum[0].message).toMatch(
      /^needs about 114 MiB to train \(10,000,000 parameters: 114 MiB with their gradients and the optimizer state;/,
    );
    const adam = {
      type: 'adam',
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
    } as const;
    expect(networkBudgetProblems(need, 1, adam)[0].message).toMatch(/^needs about 153 MiB/);
    // Through compile, from the project's optimizer.
    expect(compileError(dense(3e6, { type: 'adam', lr: 0.01 })).message).toMatch(
      /^node 'fc1' \(Dense\): needs about .* \(9,000,000 parameters: 137 MiB with their gradients and the optimizer state;/,
    );
  });

  it('lets a network through that fits, and a frozen one needs no gradients', () => {
    setMemoryBudget(budget);
    expect(() => compileProject(dense(1000), new LayerRegistry())).not.toThrow();
    const need = { id: 'w', type: 'Dense', paramCount: 1.5e9, outSize: 1, trainable: false };
    expect(networkBudgetProblems([need], 1)).toEqual([]); // 6 GB of weights, no gradients
    expect(networkBudgetProblems([{ ...need, trainable: true }], 1)).toHaveLength(1);
  });

  it('refuses sizes no machine has without overflowing', () => {
    setMemoryBudget(budget);
    const e = compileError(dense(1e300));
    expect(e.message).toContain('needs about more than 9 PiB to train');
  });
});

describe('the gradient check budget', () => {
  it('refuses an input of 100,000,000 values before allocating, and one too slow to finish', () => {
    setMemoryBudget(budget);
    const big = gradcheckLayer(BUILTIN_LAYERS.Tanh, { inShapes: [[100_000_000]] });
    expect(big.refused).toBe('BUDGET');
    expect(big.error).toBe(
      'Error in Tanh (node gradcheck): the gradient check needs about 14.9 GiB (200,000,000 input values, 0 weights, 200,000,000 outputs), over the memory budget of 8.0 GiB (set by the test); check it on a smaller shape',
    );
    const slow = gradcheckLayer(BUILTIN_LAYERS.Tanh, { inShapes: [[100_000]] });
    expect(slow.refused).toBe('BUDGET');
    expect(slow.error).toMatch(/would run forward 400,000 times .* which takes hours/);
    expect(gradcheckLayer(BUILTIN_LAYERS.Tanh, { inShapes: [[100]] }).ok).toBe(true);
  });
});

describe('the data budget', () => {
  const host = { readDataFile: () => '', readUserFile: () => 'a,b,t\n1,2,0\n3,4,1\n' };

  it('refuses a generated data set too large, at data.samples', () => {
    setMemoryBudget(budget);
    expect(() => resolveData({ source: 'builtin:xor', samples: 1e10 }, host)).toThrow(
      'data.samples: 10,000,000,000 samples of 3 values need about 335 GiB, over the memory budget of 8.0 GiB (set by the test)',
    );
    expect(resolveData({ source: 'builtin:xor', samples: 100 }, host).n).toBe(100);
  });

  it('refuses CSV rows that would not fit, before parsing them', () => {
    setMemoryBudget({ bytes: 64, note: 'tiny' });
    expect(() => resolveData({ source: 'csv:d.csv', target: 't' }, host)).toThrow(
      /^data\.source: 4 samples of 3 values need about 144 bytes, over the memory budget of 64 bytes \(tiny\)$/,
    );
    expect(() => checkDataBudget(1, 1, 'x')).not.toThrow();
  });
});

describe('budget values', () => {
  it('is 2 GiB unless a host says otherwise, and never zero', () => {
    expect(memoryBudget()).toEqual(DEFAULT_MEMORY_BUDGET);
    expect(DEFAULT_MEMORY_BUDGET.bytes).toBe(2 * GIB);
    expect(() => setMemoryBudget({ bytes: 0, note: '' })).toThrow(/positive/);
    expect(() => setMemoryBudget({ bytes: Number.NaN, note: '' })).toThrow(/positive/);
  });

  it('formats bytes and counts for messages', () => {
    expect([300, 12 * 1024, 1.5 * GIB, 512 * 1024 ** 2, Infinity].map(formatBudgetBytes)).toEqual([
      '300 bytes',
      '12.0 KiB',
      '1.5 GiB',
      '512 MiB',
      'more than 9 PiB',
    ]);
    expect([0, 999, 1000, 6e9, -1234567].map(formatCount)).toEqual([
      '0',
      '999',
      '1,000',
      '6,000,000,000',
      '-1,234,567',
    ]);
  });
});
