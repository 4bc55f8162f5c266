// A plugin that loads but misbehaves while training: the run stops with a LabError that names
// the plugin file, the node and the phase (and the tensor, for gradients), never a bare
// TypeError several nodes later. Each faulty layer is also caught by the load-time check.
import { describe, expect, it } from 'vitest';
import { isLabError, type LabError } from '../../../core/util/errors';
import { firstError, loadOne, pluginMlp, prepare, shipped } from './helpers';

/** A one-input layer that keeps its shape, with the given forward and backward bodies. */
function plugin(type: string, forward: string, backward?: string, weights = false): string {
  const w = weights ? `, weights: { a: { shape: inShapes[0], init: 'ones' } }` : '';
  return `export default {
  type: '${type}',
  build: ({ inShapes }) => ({ outShape: inShapes[0]${w} }),
  forward(ctx, x, w) { ${forward} },
  ${backward ? `backward(ctx, gy, w) { ${backward} },` : ''}
};
`;
}

// Forward y = x (a copy), and the matching backward; the faults below change one piece.
const COPY = 'const y = ctx.zeros(x.shape); y.data.set(x.data); return y;';
const COPY_BACK = 'const g = ctx.zeros(gy.shape); g.data.set(gy.data); return { x: g };';
const COPY_BACK_A =
  'const g = ctx.zeros(gy.shape); g.data.set(gy.data); return { x: g, a: ctx.zeros(w.a.shape) };';

interface Fault {
  what: string;
  source: string;
  code: LabError['code'];
  phase: 'forward' | 'backward';
  tensor?: string;
  /** The message after "Error in <Type> from plugin <file> (node p) during <phase>: ". */
  message: string;
}

const faults: Fault[] = [
  {
    what: 'an exception in forward',
    source: plugin('Kaput', "throw new Error('kaput');"),
    code: 'PLUGIN',
    phase: 'forward',
    message: 'kaput',
  },
  {
    what: 'a TypeError in forward (a typo)',
    source: plugin('Typo', 'const y = ctx.zero(x.shape); return y;'),
    code: 'PLUGIN',
    phase: 'forward',
    message: 'ctx.zero is not a function',
  },
  {
    what: 'an exception in backward',
    source: plugin('BadBack', COPY, "throw new Error('no gradient today');"),
    code: 'PLUGIN',
    phase: 'backward',
    message: 'no gradient today',
  },
  {
    what: 'an output whose shape differs from what build promised',
    source: plugin('Narrow', 'return ctx.zeros([x.shape[0], 3]);'),
    code: 'SHAPE_MISMATCH',
    phase: 'forward',
    tensor: 'output',
    message: 'output has shape [16, 3] but build promised [16, 4] (batch first)',
  },
  {
    what: 'an output that is not a tensor',
    source: plugin('Plain', 'return Array.from(x.data);'),
    code: 'PLUGIN',
    phase: 'forward',
    message: 'forward must return a Tensor (use ctx.zeros or ctx.tensor), got an array',
  },
  {
    what: 'a non-finite output from finite inputs',
    source: plugin('Nan', 'const y = ctx.zeros(x.shape); y.data[5] = NaN; return y;'),
    code: 'NON_FINITE',
    phase: 'forward',
    tensor: 'output',
    message: 'the output is NaN at flat index 5 although its inputs and weights are finite',
  },
  {
    what: 'a missing input gradient',
    source: plugin('NoGx', COPY, 'return {};'),
    code: 'GRADIENT',
    phase: 'backward',
    tensor: 'x',
    message: 'the gradient for input x is missing',
  },
  {
    what: 'a missing weight gradient',
    source: plugin('NoGa', COPY, COPY_BACK, true),
    code: 'GRADIENT',
    phase: 'backward',
    tensor: 'a',
    message: "the gradient for weight 'a' is missing",
  },
  {
    what: 'an input gradient of the wrong shape',
    source: plugin('WideGx', COPY, 'return { x: ctx.zeros([gy.shape[0], 5]) };'),
    code: 'GRADIENT',
    phase: 'backward',
    tensor: 'x',
    message: 'the gradient for input x has shape [16, 5], expected [16, 4]',
  },
  {
    what: 'a weight gradient of the wrong shape (not summed over the batch)',
    source: plugin(
      'BatchGa',
      COPY,
      'const g = ctx.zeros(gy.shape); g.data.set(gy.data); return { x: g, a: ctx.zeros(gy.shape) };',
      true,
    ),
    code: 'GRADIENT',
    phase: 'backward',
    tensor: 'a',
    message: "the gradient for weight 'a' has shape [16, 4], expected [4]",
  },
  {
    what: 'a non-finite weight gradient',
    source: plugin(
      'InfGa',
      COPY,
      COPY_BACK_A.replace(
        'return',
        'const ga = ctx.zeros(w.a.shape); ga.data[2] = Infinity; return',
      ).replace('a: ctx.zeros(w.a.shape)', 'a: ga'),
      true,
    ),
    code: 'GRADIENT',
    phase: 'backward',
    tensor: 'a',
    message: 'the gradient for a is Infinity at flat index 2',
  },
  {
    what: 'a non-finite input gradient',
    source: plugin(
      'NanGx',
      COPY,
      'const g = ctx.zeros(gy.shape); g.data[3] = NaN; return { x: g };',
    ),
    code: 'GRADIENT',
    phase: 'backward',
    tensor: 'x',
    message: 'the gradient for x is NaN at flat index 3',
  },
];

describe('a misbehaving plugin stops training with a message naming plugin, node and phase', () => {
  it.each(faults.map((f) => [f.what, f] as const))('%s', async (_what, f) => {
    const type = /type: '(\w+)'/.exec(f.source)![1];
    const file = `${type.toLowerCase()}.js`;
    const { catalog, status } = await loadOne(file, f.source);
    // The file loads (its definition is fine); its load-time check already fails.
    expect(status.ok).toBe(true);
    expect(status.layers[0].check.ok).toBe(false);

    const prepared = prepare(catalog.registry(), pluginMlp({ type }));
    const e = firstError(prepared);
    expect(isLabError(e), String(e)).toBe(true);
    const err = e as LabError;
    expect(err.message).toBe(
      `Error in ${type} from plugin ${file} (node p) during ${f.phase}: ${f.message}`,
    );
    expect(err.code).toBe(f.code);
    expect(err.place).toMatchObject({ node: 'p', phase: f.phase, plugin: file });
    if (f.tensor) expect(err.place.tensor).toBe(f.tensor);
  });

  it('an exception in build stops the project from compiling, naming the node, the plugin and the phase', async () => {
    // Fine at the load-time check's shape [4], not at the project's [3].
    const source = `export default {
  type: 'OnlyFour',
  build({ inShapes }) {
    if (inShapes[0][0] !== 4) throw new Error('only works on 4 features');
    return { outShape: inShapes[0] };
  },
  forward: (ctx, x) => ctx.ops.tanh(x),
};`;
    const { catalog, status } = await loadOne('four.js', source);
    expect(status.layers[0].check.ok).toBe(true);
    let error: unknown;
    try {
      prepare(catalog.registry(), pluginMlp({ type: 'OnlyFour' }, 3));
    } catch (e) {
      error = e;
    }
    expect(isLabError(error)).toBe(true);
    const err = error as LabError;
    expect(err.problems).toEqual([
      "nodes[2]: node 'p' (OnlyFour): build of OnlyFour from plugin four.js failed: only works on 4 features (input shape [3])",
    ]);
    expect(err.place).toMatchObject({ node: 'p', path: 'nodes[2]' });
  });

  it('a layer that returns its input unchanged still gets its own backward', async () => {
    const source = plugin('Same', 'return x;', COPY_BACK);
    const { catalog, status } = await loadOne('same.js', source);
    expect(status.layers[0].check.ok).toBe(true);
    const { trainer } = prepare(catalog.registry(), pluginMlp({ type: 'Same' }));
    expect(Number.isFinite(trainer.step().loss)).toBe(true);
  });
});

describe('a .ts plugin', () => {
  it('loads with its types stripped, passes its check and trains', async () => {
    const { catalog, status } = await loadOne('swish.ts', shipped('swish.ts'));
    expect(status.ok).toBe(true);
    expect(status.layers.map((l) => [l.type, l.check.ok, l.hasBackward])).toEqual([
      ['Swish', true, false],
    ]);
    const { trainer } = prepare(
      catalog.registry(),
      pluginMlp({ type: 'Swish', params: { beta: 2 } }),
      { epochs: 30 },
    );
    const first = trainer.runEpoch().trainLoss;
    for (let i = 0; i < 20; i++) trainer.runEpoch();
    expect(trainer.history.at(-1)!.trainLoss).toBeLessThan(first);
  });

  it('with interfaces, generics, casts and a hand-written backward', async () => {
    const source = `import type { LayerDefinition, Tensor } from './api';

interface Saved { x: Tensor }
type Weights = Record<string, Tensor>;

function cube<T extends Tensor>(ctx: { zeros(shape: number[]): Tensor }, x: T): Tensor {
  const y = ctx.zeros(x.shape);
  for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i] ** 3;
  return y;
}

const layer = {
  type: 'Cube',
  description: 'y = x³',
  build: ({ inShapes }) => ({ outShape: inShapes[0] }),
  forward(ctx, x: Tensor, _w: Weights) {
    ctx.save(x);
    return cube(ctx, x);
  },
  backward(ctx, gy) {
    const { x }: Saved = { x: ctx.saved[0] as Tensor };
    const gx = ctx.zeros(x.shape);
    for (let i = 0; i < x.data.length; i++) gx.data[i] = 3 * x.data[i] ** 2 * gy.data[i];
    return { x: gx };
  },
} satisfies LayerDefinition;

export default layer;
`;
    const { catalog, status } = await loadOne('cube.ts', source);
    expect(status.ok, status.error?.message).toBe(true);
    expect(status.layers[0].check.ok).toBe(true);
    const { trainer } = prepare(catalog.registry(), pluginMlp({ type: 'Cube' }));
    expect(Number.isFinite(trainer.step().loss)).toBe(true);
  });
});
