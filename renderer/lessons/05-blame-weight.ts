// Blame scales with the weight: input i of a Dense gets Wⱼᵢ·δⱼ of neuron j's error.
import { num, signed } from '../lab/draw/format';
import { errorSymbol, weightSymbol, withUnit } from '../lab/notation';
import { defineLesson } from './lesson';
import { setUpLab } from './set-up';

/** How much larger b is than a, as "×1.9" (or "sign flipped"). */
function ratio(a: number, b: number): string {
  if (a === 0) return '';
  const q = b / a;
  return q < 0 ? ' (sign flipped)' : ` (×${num(q, 2)})`;
}

export default defineLesson({
  id: 'blame-weight',
  title: 'Blame scales with the weight',
  idea: 'A Dense layer passes its error back along each connection in proportion to the weight: ∂L/∂hᵢ = Σⱼ Wⱼᵢ δⱼ.',
  look: 'Blame shows fc2’s output neuron and its eight incoming connections: each line carries W⁽²⁾₁ᵢ · δ⁽²⁾₁, the share of the blame that input i gets.',
  task: 'Under “Move a weight”, drag the weight of one input (double it, or flip its sign) and watch that input’s share.',
  setUp: (app) =>
    setUpLab(app, {
      view: 'blame',
      before: ({ lab }) => Object.assign(lab.settings.blame, { node: 'fc2', sample: 0 }),
    }),
  observe({ lab }) {
    const r = lab.result('blame');
    const b = r?.blame;
    if (!r || !b) return null;
    return {
      node: b.node,
      moved: r.moved ?? 0,
      in: b.in,
      weight: Array.from(b.weight),
      shares: Array.from(b.shares),
      deltaOut: Array.from(b.deltaOut),
      W: weightSymbol(r.nodes, b.node),
      D: errorSymbol(r.nodes, b.node),
    };
  },
  check(now, start) {
    if (now.moved === 0 || now.node !== start.node) return null;
    // The entry moved most (the student's), if any moved enough to see.
    let k = -1;
    let most = 1e-3;
    now.weight.forEach((w, q) => {
      const d = Math.abs(w - start.weight[q]);
      if (d > most) [k, most] = [q, d];
    });
    if (k < 0) return null;
    const j = Math.floor(k / now.in);
    const i = k % now.in;
    const name = withUnit(now.W, `${j + 1},${i + 1}`);
    return `${name} went from ${num(start.weight[k], 3)} to ${num(now.weight[k], 3)}${ratio(start.weight[k], now.weight[k])} and input ${i + 1}’s share of the blame from ${signed(start.shares[k], 3)} to ${signed(now.shares[k], 3)}${ratio(start.shares[k], now.shares[k])}. The share is the weight times ${withUnit(now.D, j + 1)} (which moved a little too, from ${num(start.deltaOut[j], 3)} to ${num(now.deltaOut[j], 3)}, because ŷ changed).`;
  },
});
