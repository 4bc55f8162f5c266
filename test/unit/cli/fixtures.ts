import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from './run-bin';

/** A fresh copy of examples/xor.json as an object, to change for one test. */
export function xorProject(): any {
  return JSON.parse(readFileSync(join(EXAMPLES, 'xor.json'), 'utf8'));
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** The plugin guide's example (plugins/README.md): y = x ⊙ σ(a ⊙ x) with a hand-written backward. */
export const WACKY_PLUGIN = `
export default {
  type: 'Wacky',
  description: 'y = x * sigmoid(a * x)',
  params: {},
  build({ inShapes }) {
    return { outShape: inShapes[0], weights: { a: { shape: inShapes[0], init: 'ones' } } };
  },
  forward(ctx, x, { a }) {
    const y = ctx.zeros(x.shape), s = ctx.zeros(x.shape), n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      s.data[i] = 1 / (1 + Math.exp(-a.data[i % n] * x.data[i]));
      y.data[i] = x.data[i] * s.data[i];
    }
    ctx.save(x, s);
    return y;
  },
  backward(ctx, gy, { a }) {
    const [x, s] = ctx.saved, gx = ctx.zeros(x.shape), ga = ctx.zeros(a.shape), n = a.data.length;
    for (let i = 0; i < x.data.length; i++) {
      const ds = s.data[i] * (1 - s.data[i]);
      gx.data[i] = gy.data[i] * (s.data[i] + x.data[i] * ds * a.data[i % n]);
      ga.data[i % n] += gy.data[i] * x.data[i] * x.data[i] * ds;
    }
    return { x: gx, a: ga };
  },
};
`;

/** The same layer with a classic mistake: the gradient of a misses a factor x. */
export const WRONG_WACKY_PLUGIN = WACKY_PLUGIN.replace("'Wacky'", "'WrongWacky'").replace(
  'x.data[i] * x.data[i] * ds',
  'x.data[i] * ds',
);
