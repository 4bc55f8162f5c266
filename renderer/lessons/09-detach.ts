// detach: no gradient flows back through the node, so nothing below it keeps anything.
import { formatBinaryBytes } from '../../core/util/number-format';
import { defineLesson, percentChange } from './lesson';
import { listIds, observeMemory } from './memory-state';
import { setUpLab } from './set-up';

export default defineLesson({
  id: 'detach',
  title: 'detach',
  idea: 'A detached node passes no gradient back to its inputs: the layers below it get none, so they need not keep anything for backward.',
  look: 'Memory, at a batch of 256: the bars show what each node keeps. Ticking a flag shows the step beside the same step without it.',
  task: 'Tick detach on h1 in the table.',
  setUp: (app) =>
    setUpLab(app, { view: 'memory', before: ({ lab }) => (lab.settings.memoryBatch = 256) }),
  observe: observeMemory,
  check(now) {
    if (now.detached.length === 0 || now.plain === null || !(now.peak < now.plain)) return null;
    return `with ${listIds(now.detached)} detached the step holds ${formatBinaryBytes(now.peak)} at its peak instead of ${formatBinaryBytes(now.plain)} (${percentChange(now.plain, now.peak)}): nothing below gets a gradient, so nothing there is kept. (The layers below no longer learn either.)`;
  },
});
