// Issue 7: no allocations in a steady-state training step. Every typed array the engine makes
// goes through the global constructors; they are counted (a Proxy, so `instanceof` still works)
// over steps after a warm-up. Steps that end an epoch may allocate (the epoch's statistics, the
// next epoch's order); the steps in between must not.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../core/graph/schema';
import type { Trainer } from '../../../core/train/trainer';
import { type NodeSpec, makeProject, mlp, trainerFor } from '../../helpers/project';
import { loadOne, shipped } from '../plugins/helpers';

const CONSTRUCTORS = ['Float32Array', 'Float64Array', 'Int32Array', 'Uint32Array', 'Uint8Array'];
const originals = new Map<string, unknown>();
let made = 0;

function countTypedArrays(): void {
  for (const name of CONSTRUCTORS) {
    const C = (globalThis as Record<string, unknown>)[name] as new (...a: unknown[]) => object;
    originals.set(name, C);
    (globalThis as Record<string, unknown>)[name] = new Proxy(C, {
      construct(target, args, newTarget) {
        made++;
        return Reflect.construct(target, args, newTarget === undefined ? target : newTarget);
      },
    });
  }
}

function restoreConstructors(): void {
  for (const [name, C] of originals) (globalThis as Record<string, unknown>)[name] = C;
  originals.clear();
}
afterEach(restoreConstructors);

/** Typed arrays made by each step that did not end an epoch, after `warmup` steps. */
function allocationsPerStep(t: Trainer, warmup: number, steps: number): number[] {
  for (let i = 0; i < warmup; i++) t.step();
  countTypedArrays();
  const counts: number[] = [];
  for (let i = 0; i < steps && !t.finished; i++) {
    const before = made;
    const r = t.step();
    if (!r.epochDone) counts.push(made - before);
  }
  return counts;
}

const net = (optimizer: NonNullable<NonNullable<ProjectInput['training']>['optimizer']>) =>
  makeProject(mlp(2, 16), {
    data: { source: 'builtin:xor', samples: 400, noise: 0.1, testFraction: 0.25 },
    training: { optimizer, batchSize: 10, epochs: 1000, seed: 3, shuffle: true },
  });

describe('a steady-state training step', () => {
  it('is measured by a counter that sees the engine’s arrays: a first step makes them', () => {
    for (const fused of [true, false]) {
      const t = trainerFor(net({ type: 'adam', lr: 0.01 }), fused);
      const [first] = allocationsPerStep(t, 0, 1);
      restoreConstructors();
      expect(first, fused ? 'fused' : 'tape').toBeGreaterThan(0);
    }
  });

  for (const [what, optimizer] of [
    ['SGD with momentum', { type: 'sgd', lr: 0.1, momentum: 0.9 }],
    ['Adam', { type: 'adam', lr: 0.01 }],
  ] as const) {
    it(`makes no typed arrays in the fused plan (2-16-16-1, ${what})`, () => {
      const t = trainerFor(net(optimizer), true);
      expect(t.fused).toBe(true);
      const counts = allocationsPerStep(t, 100, 300);
      expect(counts.length).toBeGreaterThan(250);
      expect(counts.filter((c) => c > 0)).toEqual([]);
    });
  }

  it('makes no typed arrays in the fused plan with GELU, Dropout and the PReLU plugin', async () => {
    const { catalog } = await loadOne('prelu.js', shipped('prelu.js'));
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'fc1', type: 'Dense', params: { units: 16 }, inputs: ['x'] },
      { id: 'g1', type: 'GELU', inputs: ['fc1'] },
      { id: 'drop', type: 'Dropout', params: { p: 0.2 }, inputs: ['g1'] },
      { id: 'fc2', type: 'Dense', params: { units: 16 }, inputs: ['drop'] },
      { id: 'g2', type: 'GELU', params: { approximate: 'tanh' }, inputs: ['fc2'] },
      { id: 'pr', type: 'PReLU', inputs: ['g2'] },
      { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['pr'] },
      { id: 'y', type: 'Sigmoid', inputs: ['out'] },
    ];
    const p = { ...net({ type: 'adam', lr: 0.01 }), nodes, output: 'y' };
    const t = trainerFor(p, true, catalog.registry());
    expect(t.fused).toBe(true);
    const counts = allocationsPerStep(t, 100, 300);
    expect(counts.length).toBeGreaterThan(250);
    expect(counts.filter((c) => c > 0)).toEqual([]);
  });

  it('makes no typed arrays on the tape either, once its arena has the step’s buffers', () => {
    const t = trainerFor(net({ type: 'sgd', lr: 0.1, momentum: 0.9 }), false);
    expect(t.fused).toBe(false);
    const counts = allocationsPerStep(t, 100, 300);
    expect(counts.filter((c) => c > 0)).toEqual([]);
  });

  it('makes no typed arrays in the fused plan with every loss, normalized inputs included', () => {
    const chain = (
      loss: 'CrossEntropy' | 'MSE' | 'BCEWithLogits',
      source: 'builtin:iris' | 'builtin:xor',
      normalize: 'standardize' | 'minmax',
    ) => {
      const [features, units] = source === 'builtin:iris' ? [4, 3] : [2, 1];
      return makeProject(
        [
          { id: 'x', type: 'Input', params: { shape: [features] } },
          { id: 'fc1', type: 'Dense', params: { units: 16 }, inputs: ['x'] },
          { id: 'h', type: 'ReLU', inputs: ['fc1'] },
          { id: 'd', type: 'Dropout', params: { p: 0.2 }, inputs: ['h'] },
          { id: 'fc2', type: 'Dense', params: { units }, inputs: ['d'] },
        ],
        {
          loss: { type: loss },
          data: { source, testFraction: 0.2, normalize },
          training: { optimizer: { type: 'adam', lr: 0.01 }, batchSize: 8, epochs: 1000, seed: 2 },
        },
      );
    };
    for (const p of [
      chain('CrossEntropy', 'builtin:iris', 'standardize'),
      chain('MSE', 'builtin:xor', 'minmax'),
      chain('BCEWithLogits', 'builtin:xor', 'standardize'),
    ]) {
      const t = trainerFor(p, true);
      expect(t.fused, p.loss.type).toBe(true);
      const counts = allocationsPerStep(t, 60, 200);
      expect(counts.length, p.loss.type).toBeGreaterThan(150);
      expect(
        counts.filter((c) => c > 0),
        p.loss.type,
      ).toEqual([]);
    }
  });
});
