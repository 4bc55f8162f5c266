import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { type NodeSpec, makeProject, mlp, nodeHost } from '../../helpers/project';

const measure = (extra: Record<string, Partial<NodeSpec>> = {}) =>
  prepareTraining(parseProject(makeProject(mlp(2, 8, extra))), {
    host: nodeHost,
  }).trainer.measureMemory(16);

const total = (m: ReturnType<typeof measure>) =>
  Object.values(m.nodes).reduce((s, n) => s + n.savedBytes, 0);

// What the memory view shows when a flag is toggled: the numbers of a new measured step.
describe('memory of a step when flags change', () => {
  it('freezing the lower layers lets them discard what they kept', () => {
    const base = measure();
    const frozen = measure({ fc1: { frozen: true } });
    expect(base.nodes.fc1.savedBytes).toBeGreaterThan(0);
    expect(frozen.nodes.fc1.savedBytes).toBe(0); // nothing below needs a gradient
    expect(total(frozen)).toBeLessThan(total(base));
    expect(frozen.peakSavedBytes).toBeLessThan(base.peakSavedBytes);
  });

  it('detach drops what everything below it kept', () => {
    const base = measure();
    const detached = measure({ fc2: { detach: true } });
    expect(detached.nodes.fc1.savedBytes + detached.nodes.h1.savedBytes).toBe(0);
    expect(base.nodes.fc1.savedBytes + base.nodes.h1.savedBytes).toBeGreaterThan(0);
  });

  it('recompute moves the bytes of a segment to the backward pass', () => {
    const base = measure();
    const re = measure({ fc1: { memory: 'recompute' }, h1: { memory: 'recompute' } });
    expect(re.nodes.h1.savedBytes).toBeLessThan(base.nodes.h1.savedBytes);
    expect(re.nodes.fc1.recomputedBytes + re.nodes.h1.recomputedBytes).toBeGreaterThan(0);
  });
});
