// The lessons' checks, as plain functions of what they watch: each stays quiet until the task
// is done, then says what happened with the numbers.
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../../../renderer/lessons';
import { percentChange } from '../../../../renderer/lessons/lesson';
import type { MemoryState } from '../../../../renderer/lessons/memory-state';

const lesson = (id: string) => LESSONS.find((l) => l.id === id)!;

describe('the lessons', () => {
  it('are ten, in the lecture’s order, with unique ids and a task each', () => {
    expect(LESSONS.map((l) => l.id)).toEqual([
      'forward-backward',
      'bce-sigmoid',
      'local-error',
      'weight-gradients',
      'blame-weight',
      'jacobians',
      'wacky-layer',
      'stored-for-backprop',
      'detach',
      'freeze-lower',
    ]);
    for (const l of LESSONS) expect(l.task.length).toBeGreaterThan(10);
  });

  it('percentChange rounds and signs with a true minus', () => {
    expect(percentChange(200, 138)).toBe('−31 %');
    expect(percentChange(100, 150)).toBe('+50 %');
    expect(percentChange(0, 0)).toBe('0 %');
  });
});

describe('checks', () => {
  it('forward/backward: done once past the forward pass', () => {
    const c = lesson('forward-backward').check;
    const s = { phase: 'forward', forward: ['x', 'fc1'], loss: 0.7 };
    expect(c(s, s)).toBeNull();
    expect(c({ ...s, phase: 'loss' }, s)).toMatch(/^forward\(\) ran at x, fc1.*L = 0\.7/);
  });

  it('BCE on a sigmoid: done at the output’s backward, with ŷ − y', () => {
    const c = lesson('bce-sigmoid').check;
    const s = { phase: 'loss', node: null, output: 'y', yHat: 0.25, y: 1 };
    expect(c(s, s)).toBeNull();
    expect(c({ ...s, phase: 'backward', node: 'fc2' }, s)).toBeNull();
    expect(c({ ...s, phase: 'backward', node: 'y' }, s)).toContain('δ = ŷ − y = −0.75');
  });

  it('local error: needs training and a drop of a quarter', () => {
    const c = lesson('local-error').check;
    const start = { weights: 'initial', epoch: 0, symbol: 'δ⁽²⁾', mean: 0.2, samples: 8 };
    expect(c({ ...start, mean: 0.1 }, start)).toBeNull(); // not trained: someone else's weights
    expect(c({ ...start, weights: 'run', epoch: 3, mean: 0.16 }, start)).toBeNull();
    expect(c({ ...start, weights: 'run', epoch: 3, mean: 0.05 }, start)).toContain('(−75 %)');
  });

  it('blame: names the moved weight and the share before and after', () => {
    const c = lesson('blame-weight').check;
    const start = {
      node: 'fc2',
      moved: 0,
      in: 2,
      weight: [0.5, -1],
      shares: [0.05, -0.1],
      deltaOut: [0.1],
      W: 'W⁽²⁾',
      D: 'δ⁽²⁾',
    };
    expect(c(start, start)).toBeNull();
    const now = { ...start, moved: 1, weight: [0.5, -2], shares: [0.05, -0.2] };
    expect(c(now, start)).toMatch(/^W⁽²⁾₁,₂ went from −1 to −2 \(×2\).*from −0\.1 to −0\.2 \(×2\)/);
    // Moved back where it was: nothing to tell.
    expect(c({ ...start, moved: 1 }, start)).toBeNull();
  });

  it('Jacobians: a later From with fewer factors', () => {
    const c = lesson('jacobians').check;
    const start = { from: 'x', to: 'y', factors: 4, ok: true, rel: 1e-5, rows: 1, cols: 2 };
    expect(c({ ...start, from: 'y', factors: 0 }, start)).toBeNull();
    expect(c({ ...start, from: 'h1', factors: 2, cols: 8 }, start)).toMatch(
      /^∂y\/∂h1 \(1 × 8\) is the product of 2 factors, where ∂y\/∂x took 4; finite differences agree/,
    );
  });

  it('wacky layer: passes only after a failing start', () => {
    const c = lesson('wacky-layer').check;
    const bad = { ok: false, failing: ['x'], worst: 0.4, names: ['x', 'a'] };
    const good = { ok: true, failing: [], worst: 2e-7, names: ['x', 'a'] };
    expect(c(bad, bad)).toBeNull();
    expect(c(good, good)).toBeNull();
    expect(c(good, bad)).toContain('where x failed before');
  });

  const mem = (o: Partial<MemoryState>): MemoryState => ({
    batch: 16,
    peak: 1000,
    plain: null,
    frozen: [],
    detached: [],
    kept: {},
    ...o,
  });

  it('stored for backprop: a batch four times larger', () => {
    const c = lesson('stored-for-backprop').check;
    expect(c(mem({ batch: 32, peak: 2000 }), mem({}))).toBeNull();
    expect(c(mem({ batch: 256, peak: 16000 }), mem({}))).toContain('16× the');
  });

  it('detach and freeze: the flag on and the peak below the plain step', () => {
    const d = lesson('detach').check;
    const f = lesson('freeze-lower').check;
    expect(d(mem({ detached: ['h1'], peak: 1000, plain: 1000 }), mem({}))).toBeNull();
    expect(d(mem({ detached: ['h1'], peak: 600, plain: 1000 }), mem({}))).toContain('(−40 %)');
    expect(f(mem({ detached: ['h1'], peak: 600, plain: 1000 }), mem({}))).toBeNull();
    expect(f(mem({ frozen: ['fc1'], peak: 750, plain: 1000 }), mem({}))).toContain(
      'with fc1 frozen',
    );
  });
});
