// The gradients of W⁽²⁾ and W⁽¹⁾ come from δ: ∂L/∂W⁽ᵏ⁾ = δ⁽ᵏ⁾ h⁽ᵏ⁻¹⁾ᵀ.
import { num } from '../lab/draw/format';
import { weightSymbol } from '../lab/notation';
import { defineLesson } from './lesson';
import { linearNodes, setUpLab } from './set-up';

export default defineLesson({
  id: 'weight-gradients',
  title: 'Gradients of W⁽²⁾ and W⁽¹⁾ from δ',
  idea: 'A Dense layer’s weight gradient is its local error times the input it saw: ∂L/∂W⁽ᵏ⁾ = δ⁽ᵏ⁾ h⁽ᵏ⁻¹⁾ᵀ.',
  look: 'You are at the sigmoid’s backward step. Going on, fc2’s backward uses δ⁽²⁾ and h⁽¹⁾ for ∂L/∂W⁽²⁾ and sends the error down; tanh turns it into δ⁽¹⁾; then fc1 uses δ⁽¹⁾ and x for ∂L/∂W⁽¹⁾.',
  task: 'Press Next until you reach fc1’s backward step.',
  setUp: (app) =>
    setUpLab(app, {
      view: 'steps',
      // Forward at every node, the loss, then the output's backward.
      before: (a) => (a.lab.stepIndex = a.graph.nodes.length + 1),
    }),
  observe({ lab }) {
    const r = lab.result('steps');
    if (!r || r.order.length === 0) return null;
    const step = r.order[Math.min(lab.stepIndex, r.order.length - 1)];
    const dense = linearNodes(r.nodes);
    if (dense.length === 0) return null;
    const norm = (id: string) => r.byNode[id]?.weightGrads.find((g) => g.name === 'weight')?.norm;
    return {
      phase: step.phase,
      node: step.phase === 'loss' ? null : step.node,
      first: dense[0].id,
      grads: dense.map((d) => ({ symbol: weightSymbol(r.nodes, d.id), norm: norm(d.id) ?? 0 })),
    };
  },
  check(now) {
    if (now.phase !== 'backward' || now.node !== now.first) return null;
    const list = [...now.grads]
      .reverse()
      .map((g) => `‖∂L/∂${g.symbol}‖ = ${num(g.norm, 3)}`)
      .join(', then ');
    return `${list}. Each came from its own layer’s δ and the input that layer kept from forward — nothing else.`;
  },
});
