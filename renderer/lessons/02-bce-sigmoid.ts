// BCE on a sigmoid: ∂L/∂ŷ and σ′ cancel, so backprop starts with δ = ŷ − y.
import { num, signed } from '../lab/draw/format';
import { defineLesson } from './lesson';
import { setUpLab } from './set-up';

export default defineLesson({
  id: 'bce-sigmoid',
  title: 'BCE on a sigmoid: δ = ŷ − y',
  idea: 'With L = −y log ŷ − (1 − y) log(1 − ŷ) and ŷ = σ(ỹ), the two derivatives cancel and the error at ỹ is just ŷ − y.',
  look: 'You are at the loss step. The next step is the sigmoid’s backward(): its card multiplies ∂L/∂ŷ by σ′(ỹ) = ŷ(1 − ŷ) for one sample and shows that the product is ŷ − y.',
  task: 'Press Next once, to the sigmoid’s backward step.',
  setUp: (app) =>
    setUpLab(app, {
      view: 'steps',
      // Forward at every node comes first: the loss step follows them.
      before: (a) => (a.lab.stepIndex = a.graph.nodes.length),
    }),
  observe({ lab, graph }) {
    const r = lab.result('steps');
    if (!r || r.order.length === 0) return null;
    const step = r.order[Math.min(lab.stepIndex, r.order.length - 1)];
    const out = r.byNode[graph.project.output]?.output;
    return {
      phase: step.phase,
      node: step.phase === 'loss' ? null : step.node,
      output: graph.project.output,
      yHat: out ? out.data[0] : null,
      y: r.target.data.length ? r.target.data[0] : null,
    };
  },
  check(now) {
    if (now.phase !== 'backward' || now.node !== now.output) return null;
    if (now.yHat === null || now.y === null) return `backprop starts at ${now.output}.`;
    return `for sample 1, ŷ = ${num(now.yHat, 3)} and y = ${num(now.y, 3)}: δ = ŷ − y = ${signed(now.yHat - now.y, 3)}. No log and no σ′ left to compute — they cancelled.`;
  },
});
