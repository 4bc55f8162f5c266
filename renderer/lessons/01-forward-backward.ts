// Every node knows forward() and backward(): Step by step walks one batch through them.
import { num } from '../lab/draw/format';
import { defineLesson } from './lesson';
import { setUpLab } from './set-up';

export default defineLesson({
  id: 'forward-backward',
  title: 'forward() and backward() at every node',
  idea: 'Each node computes its output from its inputs (forward) and, later, passes the error back to them (backward).',
  look: 'Step by step runs one batch of four samples. The chain of nodes at the top marks where you are: first every node’s forward(), in order, then the loss.',
  task: 'Press Next until you reach the loss.',
  setUp: (app) => setUpLab(app, { view: 'steps', before: (a) => (a.lab.stepIndex = 0) }),
  observe({ lab }) {
    const r = lab.result('steps');
    if (!r || r.order.length === 0) return null;
    const step = r.order[Math.min(lab.stepIndex, r.order.length - 1)];
    return {
      phase: step.phase,
      forward: r.order.flatMap((s) => (s.phase === 'forward' ? [s.node] : [])),
      loss: r.lossValue,
    };
  },
  check(now) {
    if (now.phase === 'forward') return null;
    return `forward() ran at ${now.forward.join(', ')}, each on what the one before handed it, and the loss of the batch is L = ${num(now.loss)}. From here backward() runs at the same nodes in reverse order.`;
  },
});
