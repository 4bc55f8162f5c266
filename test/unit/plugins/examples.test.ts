// The plugins shipped in plugins/: each loads with a passing check and trains a small network;
// the memory each keeps for backward is what its comments and the guide say.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PluginCatalog } from '../../../core/plugins/catalog';
import type { NodeSpec } from '../../helpers/project';
import { newCatalog, PLUGINS_DIR, pluginMlp, prepare, shipped } from './helpers';

const FILES = [
  'wacky.js',
  'swish.ts',
  'learnable-scale.js',
  'gated-sum.js',
  'sigmoid-pair.js',
  'prelu.js',
];

async function catalogOf(...files: string[]): Promise<PluginCatalog> {
  const catalog = newCatalog();
  for (const f of files) await catalog.load(f, shipped(f));
  return catalog;
}

/** Two branches from x, blended by GatedSum, then Dense(1) → Sigmoid. */
const GATED: NodeSpec[] = [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fa', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
  { id: 'ta', type: 'Tanh', inputs: ['fa'] },
  { id: 'fb', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
  { id: 'rb', type: 'ReLU', inputs: ['fb'] },
  { id: 'p', type: 'GatedSum', inputs: ['ta', 'rb'] },
  { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['p'] },
  { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
];

const NETWORKS: Record<string, NodeSpec[]> = {
  Wacky: pluginMlp({ type: 'Wacky' }, 8),
  Swish: pluginMlp({ type: 'Swish' }, 8),
  // A scale alone between two Dense layers is linear: a Tanh first, so that xor can be learnt.
  LearnableScale: pluginMlp({ type: 'LearnableScale', params: { init: 0.5 } }, 8).flatMap((n) =>
    n.id === 'p'
      ? [
          { id: 'h', type: 'Tanh', inputs: ['fc1'] },
          { ...n, inputs: ['h'] },
        ]
      : [n],
  ),
  GatedSum: GATED,
  SigmoidKeepsInput: pluginMlp({ type: 'SigmoidKeepsInput' }, 8),
  SigmoidKeepsOutput: pluginMlp({ type: 'SigmoidKeepsOutput' }, 8),
  PReLU: pluginMlp({ type: 'PReLU' }, 8),
};

describe('shipped example plugins', () => {
  it('are all covered here', () => {
    const onDisk = readdirSync(PLUGINS_DIR).filter(
      (f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'),
    );
    expect(onDisk.sort()).toEqual([...FILES].sort());
  });

  it.each(FILES)('%s loads, and every layer passes its load-time check', async (file) => {
    const catalog = newCatalog();
    const status = await catalog.load(file, shipped(file));
    expect(status.ok, status.error?.message).toBe(true);
    for (const layer of status.layers) {
      expect(layer.check.ok, `${layer.type}: ${JSON.stringify(layer.check)}`).toBe(true);
      expect(layer.category).toBe('Examples');
      expect(layer.description).not.toBe('');
    }
  });

  it.each(Object.keys(NETWORKS))(
    'a network with %s learns xor (the loss goes down)',
    async (type) => {
      const catalog = await catalogOf(...FILES);
      const { trainer } = prepare(catalog.registry(), NETWORKS[type], { epochs: 40 });
      while (!trainer.finished) trainer.step();
      const losses = trainer.history.map((e) => e.trainLoss);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]);
    },
  );

  it('the plugin weights are named <node>.<weight> and change while training', async () => {
    const catalog = await catalogOf('wacky.js', 'learnable-scale.js', 'gated-sum.js');
    const nodes = pluginMlp({ type: 'Wacky' }, 3);
    const { trainer } = prepare(catalog.registry(), nodes, { epochs: 2 });
    const before = trainer.model.exportWeights()['p.a'];
    expect(before.shape).toEqual([3]);
    expect(Array.from(before.data)).toEqual([1, 1, 1]); // init: 'ones'
    while (!trainer.finished) trainer.step();
    expect(Array.from(trainer.model.exportWeights()['p.a'].data)).not.toEqual([1, 1, 1]);
  });
});

describe('what the examples keep for backward (measured)', () => {
  const BATCH = 16;
  const HIDDEN = 8;
  const ACTIVATION = BATCH * HIDDEN * 4; // one [16, 8] float32 tensor

  it('SigmoidKeepsOutput holds one activation less than SigmoidKeepsInput between two Dense layers', async () => {
    const catalog = await catalogOf('sigmoid-pair.js');
    const measure = (type: string) =>
      prepare(catalog.registry(), NETWORKS[type]).trainer.measureMemory(BATCH);
    const input = measure('SigmoidKeepsInput');
    const output = measure('SigmoidKeepsOutput');

    // Keeping the input: the sigmoid holds fc1's output, and fc2 holds the sigmoid's output.
    expect(input.nodes.p.savedBytes).toBe(ACTIVATION);
    expect(input.nodes.fc2.savedBytes).toBe(ACTIVATION);
    // Keeping the output: the very tensor fc2 keeps anyway, counted once (charged to p).
    expect(output.nodes.p.savedBytes).toBe(ACTIVATION);
    expect(output.nodes.fc2?.savedBytes ?? 0).toBe(0);
    expect(input.peakSavedBytes - output.peakSavedBytes).toBe(ACTIVATION);
  });

  it('both sigmoids compute the same function and train alike', async () => {
    const catalog = await catalogOf('sigmoid-pair.js');
    const run = (type: string) => {
      const { trainer } = prepare(catalog.registry(), NETWORKS[type], { epochs: 5 });
      while (!trainer.finished) trainer.step();
      return trainer.history.map((e) => e.trainLoss);
    };
    const a = run('SigmoidKeepsInput');
    const b = run('SigmoidKeepsOutput');
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
  });

  it('Wacky keeps its input and σ(a ⊙ x): two activations', async () => {
    const catalog = await catalogOf('wacky.js');
    const m = prepare(catalog.registry(), NETWORKS.Wacky).trainer.measureMemory(BATCH);
    expect(m.nodes.p).toMatchObject({ savedBytes: 2 * ACTIVATION, tensors: 2 });
  });

  it('Swish (autograd) keeps x and σ(βx), the sigmoid counted once though two ops hold it', async () => {
    const catalog = await catalogOf('swish.ts');
    const m = prepare(catalog.registry(), NETWORKS.Swish).trainer.measureMemory(BATCH);
    expect(m.nodes.p).toMatchObject({ savedBytes: 2 * ACTIVATION, tensors: 2 });
  });

  it('LearnableScale keeps x only while a learns, and nothing when frozen', async () => {
    const catalog = await catalogOf('learnable-scale.js');
    const measure = (extra: Partial<NodeSpec>) =>
      prepare(
        catalog.registry(),
        pluginMlp({ type: 'LearnableScale', ...extra }, HIDDEN),
      ).trainer.measureMemory(BATCH);
    expect(measure({}).nodes.p).toMatchObject({ savedBytes: ACTIVATION, tensors: 1 });
    expect(measure({ frozen: true }).nodes.p?.savedBytes ?? 0).toBe(0);
  });

  it('a frozen LearnableScale does not change, and still passes the gradient on', async () => {
    const catalog = await catalogOf('learnable-scale.js');
    const nodes = pluginMlp({ type: 'LearnableScale', frozen: true, params: { init: 2 } }, HIDDEN);
    const { trainer } = prepare(catalog.registry(), nodes, { epochs: 3 });
    const fc1 = Array.from(trainer.model.exportWeights()['fc1.weight'].data);
    while (!trainer.finished) trainer.step();
    const after = trainer.model.exportWeights();
    expect(Array.from(after['p.a'].data)).toEqual([2]);
    expect(Array.from(after['fc1.weight'].data)).not.toEqual(fc1);
  });

  it('GatedSum keeps g and both inputs, and only g when its weight is frozen', async () => {
    const catalog = await catalogOf('gated-sum.js');
    // The branches end in Dense layers, which do not keep their outputs: what p holds is its own.
    const measure = (frozen: boolean) =>
      prepare(catalog.registry(), [
        { id: 'x', type: 'Input', params: { shape: [2] } },
        { id: 'fa', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
        { id: 'fb', type: 'Dense', params: { units: 4 }, inputs: ['x'] },
        { id: 'p', type: 'GatedSum', inputs: ['fa', 'fb'], frozen },
        { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['p'] },
        { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
      ]).trainer.measureMemory(BATCH);
    const G = 4 * 4; // g: [4] float32
    const BRANCH = BATCH * 4 * 4; // each input: [16, 4] float32
    expect(measure(false).nodes.p).toMatchObject({ savedBytes: G + 2 * BRANCH, tensors: 3 });
    expect(measure(true).nodes.p).toMatchObject({ savedBytes: G, tensors: 1 });
  });
});
