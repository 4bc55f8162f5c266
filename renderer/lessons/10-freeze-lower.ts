// Freezing lower layers: their activations can be discarded.
import { formatBinaryBytes } from '../../core/util/number-format';
import { defineLesson, percentChange } from './lesson';
import { listIds, observeMemory } from './memory-state';
import { setUpLab } from './set-up';

export default defineLesson({
  id: 'freeze-lower',
  title: 'Freezing lower layers frees activations',
  idea: 'A frozen layer needs no weight gradient; when nothing below it learns either, it needs no copy of its input, so that activation can be discarded.',
  look: 'Memory, at a batch of 256: fc1 keeps its input x for ∂L/∂W⁽¹⁾. The upper layers still learn.',
  task: 'Tick frozen on fc1, the lower Dense layer.',
  setUp: (app) =>
    setUpLab(app, { view: 'memory', before: ({ lab }) => (lab.settings.memoryBatch = 256) }),
  observe: observeMemory,
  check(now) {
    if (now.frozen.length === 0 || now.plain === null || !(now.peak < now.plain)) return null;
    return `with ${listIds(now.frozen)} frozen the step holds ${formatBinaryBytes(now.peak)} at its peak instead of ${formatBinaryBytes(now.plain)} (${percentChange(now.plain, now.peak)}): no ∂L/∂W there, and nothing below to pass a gradient to, so its input is not kept.`;
  },
});
