// The local error δ at each layer, and how it shrinks as the network learns.
import { num } from '../lab/draw/format';
import { defineLesson, percentChange } from './lesson';
import { linearNodes, meanAbs, setUpLab } from './set-up';

export default defineLesson({
  id: 'local-error',
  title: 'The local error δ',
  idea: 'δ⁽ᵏ⁾ = ∂L/∂h̃⁽ᵏ⁾: how much the loss moves when layer k’s pre-activation moves. It is what backward passes from layer to layer.',
  look: 'Forward & δ shows, for the first samples, each node’s values and under them its δ. With the random weights of the start the error at the output layer, δ⁽²⁾, is large.',
  task: 'Press Train (slow it down with Training speed to watch) and see δ⁽²⁾ shrink.',
  setUp: (app) => setUpLab(app, { view: 'forward' }),
  observe({ lab }) {
    const r = lab.result('forward');
    if (!r) return null;
    const last = linearNodes(r.nodes).at(-1);
    const slice = last && r.slices.find((s) => s.id === last.id);
    if (!last || !slice?.delta) return null;
    return {
      weights: r.weights,
      epoch: r.epoch,
      symbol: last.deltaSymbol,
      mean: meanAbs(slice.delta.data),
      samples: slice.delta.rows,
    };
  },
  check(now, start) {
    if (now.weights === 'initial' || now.epoch < 1) return null;
    if (!(now.mean <= 0.75 * start.mean)) return null;
    return `after ${now.epoch} epochs the mean |${now.symbol}| over ${now.samples} samples went from ${num(start.mean, 3)} to ${num(now.mean, 3)} (${percentChange(start.mean, now.mean)}): the predictions are close to the targets, so there is little error left to pass back.`;
  },
});
