// For D layers, ∂ŷ/∂x is the product of the layers' Jacobians, J_D ⋯ J_1.
import { defineLesson } from './lesson';
import { setUpLab } from './set-up';

export default defineLesson({
  id: 'jacobians',
  title: 'Jacobians for D layers',
  idea: 'In general a layer’s backward is a Jacobian-vector product; through D layers ∂ŷ/∂x = J_D ⋯ J_1, one factor per layer.',
  look: 'The Jacobian view shows ∂ŷ/∂x for one sample: every factor along the network, their product, and finite differences that check the product on screen.',
  task: 'Set From to h1: the chain starts later and has fewer factors.',
  setUp: (app) =>
    setUpLab(app, { view: 'jacobian', before: ({ lab }) => lab.showJacobian(null, null) }),
  observe({ lab }) {
    const r = lab.result('jacobian');
    if (!r?.network) return null;
    return {
      from: r.from,
      to: r.to,
      factors: r.network.factors.length,
      ok: r.network.check.ok,
      rel: r.network.check.maxRelError,
      rows: r.network.rows,
      cols: r.network.cols,
    };
  },
  check(now, start) {
    if (now.from === start.from || now.factors === 0 || now.factors >= start.factors) return null;
    const checked = now.ok
      ? `finite differences agree (largest relative error ${now.rel.toExponential(1)})`
      : 'finite differences disagree here: look at the pair checks';
    return `∂${now.to}/∂${now.from} (${now.rows} × ${now.cols}) is the product of ${now.factors} factors, where ∂${start.to}/∂${start.from} took ${start.factors}; ${checked}.`;
  },
});
