import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import type { MemoryReport } from '../../../core/memory/meter';
import { makeProject, mlp, nodeHost } from '../../helpers/project';

const BATCH = 16;
const F32 = 4;

function measure(extra: Parameters<typeof mlp>[2] = {}, depth = 2, hidden = 8): MemoryReport {
  const project = parseProject(makeProject(mlp(depth, hidden, extra)));
  return prepareTraining(project, { host: nodeHost }).trainer.measureMemory(BATCH);
}

const saved = (r: MemoryReport, id: string) => r.nodes[id].savedBytes;

describe('memory kept for backward, measured per node', () => {
  it('stores what each op needs: a Dense keeps its input, Tanh and Sigmoid their outputs', () => {
    const r = measure();
    expect(saved(r, 'fc1')).toBe(BATCH * 2 * F32); // the batch x, for fc1.weight's gradient
    expect(saved(r, 'h1')).toBe(BATCH * 8 * F32); // tanh output
    // fc2 needs h1's output, which Tanh already holds: one buffer, counted once (for h1)
    expect(saved(r, 'fc2')).toBe(0);
    expect(saved(r, 'h2')).toBe(BATCH * 8 * F32);
    expect(saved(r, 'out')).toBe(0);
    expect(saved(r, 'y')).toBe(BATCH * 1 * F32);
    expect(r.peakSavedBytes).toBe(r.afterForwardBytes);
    const total = Object.values(r.nodes).reduce((s, n) => s + n.savedBytes, 0);
    expect(r.peakSavedBytes).toBe(total);
  });

  it('frozen lower layers keep nothing: their activations can be discarded', () => {
    const r = measure({ fc1: { frozen: true } });
    expect(saved(r, 'fc1')).toBe(0);
    expect(saved(r, 'h1')).toBe(0); // nothing below h1 wants a gradient
    // fc2 still needs h1's output to compute its own weight gradient
    expect(saved(r, 'fc2')).toBe(BATCH * 8 * F32);
    const free = measure();
    expect(r.peakSavedBytes).toBeLessThan(free.peakSavedBytes);
  });

  it('a frozen layer between trainable ones keeps what its input gradient needs, not its input', () => {
    const r = measure({ fc2: { frozen: true } });
    // fc2.weight is held anyway and is not counted; h1's output is not needed by fc2
    expect(saved(r, 'fc2')).toBe(0);
    expect(saved(r, 'h1')).toBe(BATCH * 8 * F32); // Tanh still needs it for fc1's gradient
  });

  it('detach: everything upstream saves nothing', () => {
    const r = measure({ fc2: { detach: true } });
    expect(saved(r, 'fc1')).toBe(0);
    expect(saved(r, 'h1')).toBe(0);
    expect(saved(r, 'fc2')).toBe(BATCH * 8 * F32); // its own weight gradient needs its input
  });

  it('a recompute segment keeps only what enters it and lowers the peak', () => {
    const depth = 6;
    const extra: Parameters<typeof mlp>[2] = {};
    for (let i = 2; i <= 5; i++) {
      extra[`fc${i}`] = { memory: 'recompute' };
      extra[`h${i}`] = { memory: 'recompute' };
    }
    const store = measure({}, depth, 32);
    const recompute = measure(extra, depth, 32);
    // The segment fc2..h5 keeps only h1's output (already held by h1) after forward
    for (let i = 2; i <= 5; i++) {
      expect(saved(recompute, `fc${i}`)).toBe(0);
      expect(saved(recompute, `h${i}`)).toBe(0);
      expect(recompute.nodes[`h${i}`].recomputedBytes).toBe(BATCH * 32 * F32);
    }
    expect(recompute.afterForwardBytes).toBeLessThan(store.afterForwardBytes);
    expect(recompute.peakSavedBytes).toBeLessThan(store.peakSavedBytes);
  });
});
