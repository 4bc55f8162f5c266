// What must be stored at each layer for backprop, and that it grows with the batch.
import { formatBinaryBytes } from '../../core/util/number-format';
import { num } from '../lab/draw/format';
import { defineLesson } from './lesson';
import { observeMemory } from './memory-state';
import { setUpLab } from './set-up';

export default defineLesson({
  id: 'stored-for-backprop',
  title: 'What is stored for backprop',
  idea: 'Backward needs values from forward: a Dense keeps its input (for ∂L/∂W), tanh and sigmoid their output (σ′ comes from it). They stay in memory until backward has used them.',
  look: 'Memory lists, per node, which tensor it keeps and for which gradient, measured on one training step. At XOR’s batch of 16 samples these are only a few hundred bytes.',
  task: 'Choose a batch of 256 (or more) in Batch.',
  setUp: (app) =>
    setUpLab(app, { view: 'memory', before: ({ lab }) => (lab.settings.memoryBatch = null) }),
  observe: observeMemory,
  check(now, start) {
    if (now.batch < 4 * start.batch || start.peak === 0) return null;
    return `at a batch of ${now.batch} the step holds ${formatBinaryBytes(now.peak)} at its peak, ${num(now.peak / start.peak, 3)}× the ${formatBinaryBytes(start.peak)} of a batch of ${start.batch}: what is kept is per sample, so it grows with the batch (the weights do not).`;
  },
});
