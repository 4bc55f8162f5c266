import { describe, expect, it } from 'vitest';
import { parseProject } from '../../../core/graph/parse';
import type { ProjectInput } from '../../../core/graph/schema';
import { compileProject } from '../../../core/graph/compile';
import { LayerRegistry } from '../../../core/layers/registry';
import { prepareTraining } from '../../../core/project/prepare';
import { type NodeSpec, makeProject, mlp, nodeHost, trainerFor } from '../../helpers/project';
import { loadOne, pluginMlp, shipped } from '../plugins/helpers';

/** Train the same project through the fused plan and through the tape. */
function both(p: ProjectInput, registry?: LayerRegistry) {
  const run = (fused: boolean) => {
    const t = trainerFor(p, fused, registry);
    while (!t.finished) t.step();
    return {
      fused: t.fused,
      fusedEvaluation: t.fusedEvaluation,
      weights: t.model.exportWeights(),
      history: t.history,
    };
  };
  return { fused: run(true), tape: run(false) };
}

function expectSame(p: ProjectInput, registry?: LayerRegistry) {
  const { fused, tape } = both(p, registry);
  expect(fused.fused).toBe(true);
  expect(tape.fused).toBe(false);
  // Each epoch's test loss and accuracy too: fused evaluate against each layer's forward.
  expect(fused.fusedEvaluation).toBe(true);
  expect(tape.fusedEvaluation).toBe(false);
  for (const k of Object.keys(tape.weights)) {
    // bit for bit: compare the raw bytes
    expect(Buffer.from(fused.weights[k].data.buffer), k).toEqual(
      Buffer.from(tape.weights[k].data.buffer),
    );
  }
  expect(fused.history).toEqual(tape.history);
}

const training = (over: object = {}) => ({
  optimizer: { type: 'sgd' as const, lr: 0.3, momentum: 0.9 },
  batchSize: 12, // 48 training samples: full batches; other tests use a short last batch
  epochs: 3,
  seed: 5,
  shuffle: true,
  ...over,
});

const iris = (nodes: NodeSpec[], over: Partial<ProjectInput> = {}) =>
  makeProject(nodes, {
    loss: { type: 'CrossEntropy' },
    data: { source: 'builtin:iris', testFraction: 0.2 },
    training: training({ optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16 }),
    ...over,
  });

describe('the fused plan for plain chains gives the tape’s weights bit for bit', () => {
  it('Tanh, Sigmoid, BCE, SGD with momentum (XOR)', () =>
    expectSame(makeProject(mlp(2, 8), { training: training() })));

  it('with a short last batch and weight decay', () =>
    expectSame(
      makeProject(mlp(1, 5), {
        training: training({
          batchSize: 10,
          optimizer: { type: 'sgd', lr: 0.2, weightDecay: 0.01 },
        }),
      }),
    ));

  it('ReLU, CrossEntropy on class indices, Adam (iris)', () =>
    expectSame(
      iris([
        { id: 'x', type: 'Input', params: { shape: [4] } },
        { id: 'fc1', type: 'Dense', params: { units: 16 }, inputs: ['x'] },
        { id: 'r1', type: 'ReLU', inputs: ['fc1'] },
        { id: 'fc2', type: 'Dense', params: { units: 3 }, inputs: ['r1'] },
      ]),
    ));

  it('LeakyReLU, Softmax layer, Dropout and MSE, Dense without bias', () =>
    expectSame(
      makeProject(
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'fc1', type: 'Dense', params: { units: 8, bias: false }, inputs: ['x'] },
          { id: 'a1', type: 'LeakyReLU', params: { slope: 0.1 }, inputs: ['fc1'] },
          { id: 'd1', type: 'Dropout', params: { p: 0.3 }, inputs: ['a1'] },
          { id: 'fc2', type: 'Dense', params: { units: 2 }, inputs: ['d1'] },
          { id: 'sm', type: 'Softmax', inputs: ['fc2'] },
          { id: 'fc3', type: 'Dense', params: { units: 1 }, inputs: ['sm'] },
        ],
        {
          loss: { type: 'MSE' },
          training: training({ optimizer: { type: 'adam', lr: 0.02, weightDecay: 0.001 } }),
        },
      ),
    ));

  it('GELU, exact and tanh, with Adam and CrossEntropy (iris)', () =>
    expectSame(
      iris([
        { id: 'x', type: 'Input', params: { shape: [4] } },
        { id: 'fc1', type: 'Dense', params: { units: 12 }, inputs: ['x'] },
        { id: 'g1', type: 'GELU', inputs: ['fc1'] },
        { id: 'fc2', type: 'Dense', params: { units: 8 }, inputs: ['g1'] },
        { id: 'g2', type: 'GELU', params: { approximate: 'tanh' }, inputs: ['fc2'] },
        { id: 'fc3', type: 'Dense', params: { units: 3 }, inputs: ['g2'] },
      ]),
    ));

  it('BCEWithLogits', () =>
    expectSame(
      makeProject(mlp(2, 6).slice(0, -1), {
        loss: { type: 'BCEWithLogits' },
        training: training(),
      }),
    ));

  it('frozen lower layers and a detach in the middle', () => {
    expectSame(makeProject(mlp(3, 6, { fc1: { frozen: true } }), { training: training() }));
    expectSame(makeProject(mlp(3, 6, { fc2: { detach: true } }), { training: training() }));
  });

  it('CrossEntropy on one-hot targets', () =>
    expectSame(
      makeProject(
        [
          { id: 'x', type: 'Input', params: { shape: [2] } },
          { id: 'fc1', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
          { id: 'h', type: 'Tanh', inputs: ['fc1'] },
          { id: 'fc2', type: 'Dense', params: { units: 3 }, inputs: ['h'] },
        ],
        {
          loss: { type: 'CrossEntropy' },
          data: {
            x: [
              [0, 0],
              [1, 0],
              [0, 1],
              [1, 1],
              [0.5, 0.5],
              [0.2, 0.9],
            ],
            y: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
          },
          training: training({ batchSize: 4 }),
        },
      ),
    ));
});

describe('evaluation through the fused plan gives what each layer’s forward gives, bit for bit', () => {
  // 700 held-out samples: batches of 256, 256 and a short 188; Dropout passes x through.
  const nodes: NodeSpec[] = [
    { id: 'x', type: 'Input', params: { shape: [2] } },
    { id: 'fc1', type: 'Dense', params: { units: 12 }, inputs: ['x'] },
    { id: 'r', type: 'ReLU', inputs: ['fc1'] },
    { id: 'd', type: 'Dropout', params: { p: 0.5 }, inputs: ['r'] },
    { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['d'] },
    { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
  ];
  const p = makeProject(nodes, {
    data: { source: 'builtin:xor', samples: 1400, noise: 0.1, testFraction: 0.5 },
    training: training({ batchSize: 50, epochs: 2 }),
  });

  it('on the test set after each epoch, between steps, and before any', () => {
    const fused = trainerFor(p, true);
    const tape = trainerFor(p, false);
    expect(fused.fusedEvaluation).toBe(true);
    const sets = [fused.trainSet, tape.trainSet];
    // Before any step, in the middle of an epoch (the step's buffers must not be disturbed)
    // and at the end.
    const evaluations = () => [fused.evaluate(sets[0]), tape.evaluate(sets[1])];
    const [f0, t0] = evaluations();
    expect(f0).toEqual(t0);
    for (let i = 0; i < 3; i++) {
      fused.step();
      tape.step();
    }
    const [f1, t1] = evaluations();
    expect(f1).toEqual(t1);
    expect(f1.loss).not.toBe(f0.loss);
    while (!fused.finished) fused.step();
    while (!tape.finished) tape.step();
    expect(fused.history).toEqual(tape.history);
    expect(fused.history.map((e) => e.testLoss).every(Number.isFinite)).toBe(true);
    for (const [k, w] of Object.entries(tape.model.exportWeights()))
      expect(Buffer.from(fused.model.exportWeights()[k].data.buffer), k).toEqual(
        Buffer.from(w.data.buffer),
      );
  });
});

describe('a plugin layer with a fused kernel takes the fused path, bit for bit with the tape', () => {
  it('PReLU (plugins/prelu.js), trainable and frozen, SGD with momentum and Adam', async () => {
    const { catalog, status } = await loadOne('prelu.js', shipped('prelu.js'));
    expect(status.layers[0].check.fused).toMatchObject({ ok: true, identical: true });
    const registry = catalog.registry();
    for (const over of [{}, { frozen: true }]) {
      const nodes = pluginMlp({ type: 'PReLU', params: { init: 0.1 }, ...over }, 6);
      expectSame(makeProject(nodes, { training: training() }), registry);
      expectSame(
        makeProject(nodes, {
          training: training({ optimizer: { type: 'adam', lr: 0.02, weightDecay: 0.001 } }),
        }),
        registry,
      );
    }
  });

  it('without a fused evaluate it trains fused and evaluates through each layer’s forward', async () => {
    const line = '    evaluate: (s) => preluForward(s.x, s.weights.weight, s.y),\n';
    expect(shipped('prelu.js')).toContain(line);
    const { catalog, status } = await loadOne('no-eval.js', shipped('prelu.js').replace(line, ''));
    expect(status.layers[0].check.fused).toMatchObject({ ok: true, identical: true });
    const nodes = pluginMlp({ type: 'PReLU', params: { init: 0.1 } }, 6);
    const p = makeProject(nodes, { training: training() });
    const t = trainerFor(p, true, catalog.registry());
    expect([t.fused, t.fusedEvaluation]).toEqual([true, false]);
    const tape = trainerFor(p, false, catalog.registry());
    while (!t.finished) t.step();
    while (!tape.finished) tape.step();
    expect(t.history).toEqual(tape.history);
  });

  it('an evaluate that disagrees with forward in evaluation mode is not trusted', async () => {
    const wrong = shipped('prelu.js').replace(
      'evaluate: (s) => preluForward(s.x, s.weights.weight, s.y),',
      'evaluate: (s) => { preluForward(s.x, s.weights.weight, s.y); s.y[1] *= 2; },',
    );
    expect(wrong).not.toBe(shipped('prelu.js'));
    const { catalog, status } = await loadOne('wrong-eval.js', wrong);
    expect(status.layers[0].check.fused).toMatchObject({ ok: false, tensor: 'evaluate' });
    expect(status.layers[0].check.fused?.message).toMatch(
      /^fused kernel's evaluate differs from forward in evaluation mode by up to .*: training uses the tape for this layer$/,
    );
    const p = makeProject(pluginMlp({ type: 'PReLU' }, 4), { training: training() });
    expect(trainerFor(p, true, catalog.registry()).fused).toBe(false);
  });

  it('a kernel that disagrees with forward and backward is not trusted: the tape trains', async () => {
    const wrong = shipped('prelu.js').replace(
      'forward: (s) => preluForward(s.x, s.weights.weight, s.y),',
      'forward: (s) => { preluForward(s.x, s.weights.weight, s.y); s.y[0] += 1e-3; },',
    );
    expect(wrong).not.toBe(shipped('prelu.js'));
    const { catalog, status } = await loadOne('wrong-prelu.js', wrong);
    expect(status.ok).toBe(true);
    expect(status.layers[0].check.ok).toBe(false);
    expect(status.layers[0].check.fused?.message).toMatch(
      /^fused kernel differs from forward and backward in y by up to 1\.\d+e-3 .*: training uses the tape for this layer$/,
    );
    const p = makeProject(pluginMlp({ type: 'PReLU' }, 4), { training: training() });
    expect(trainerFor(p, true, catalog.registry()).fused).toBe(false);
  });

  it('an exception in a plugin kernel while training names the plugin, the node and the phase', async () => {
    const throwing = shipped('prelu.js')
      .replace(
        'backward: (s) => preluBackward(',
        'backward: (s) => s.batch > 2 ? ctxless() : preluBackward(',
      )
      .replace(
        'export default {',
        "function ctxless() { throw new Error('no buffers for that batch'); }\nexport default {",
      );
    const { catalog, status } = await loadOne('big.js', throwing);
    expect(status.layers[0].check.fused?.ok).toBe(true); // the check runs a batch of 2
    const p = makeProject(pluginMlp({ type: 'PReLU' }, 4), { training: training() });
    const t = trainerFor(p, true, catalog.registry());
    expect(t.fused).toBe(true);
    expect(() => t.step()).toThrow(
      'Error in PReLU from plugin big.js (node p) during backward: no buffers for that batch',
    );
  });
});

describe('graphs that are not plain chains of built-in layers use the tape', () => {
  const fusedFor = (p: ProjectInput) => {
    const project = parseProject(p);
    const { trainer } = prepareTraining(project, { host: nodeHost });
    return trainer.fused;
  };

  it('a DAG with a merge', () => {
    const nodes: NodeSpec[] = [
      { id: 'x', type: 'Input', params: { shape: [2] } },
      { id: 'a', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'b', type: 'Dense', params: { units: 3 }, inputs: ['x'] },
      { id: 'sum', type: 'Add', inputs: ['a', 'b'] },
      { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['sum'] },
      { id: 'y', type: 'Sigmoid', inputs: ['out'] },
    ];
    expect(fusedFor(makeProject(nodes))).toBe(false);
  });

  it('a recompute segment', () => {
    expect(fusedFor(makeProject(mlp(2, 4, { fc2: { memory: 'recompute' } })))).toBe(false);
    expect(fusedFor(makeProject(mlp(2, 4)))).toBe(true);
  });

  it('a plugin layer', () => {
    const registry = new LayerRegistry();
    registry.add(
      {
        type: 'Twice',
        build: ({ inShapes }) => ({ outShape: inShapes[0] }),
        forward: (ctx, x) => ctx.ops.scale(x as never, 2),
      },
      'twice.js',
    );
    const nodes = mlp(1, 4);
    nodes.splice(2, 0, { id: 't', type: 'Twice', inputs: ['fc1'] });
    nodes[3] = { ...nodes[3], inputs: ['t'] };
    const project = parseProject(makeProject(nodes));
    expect(compileProject(project, registry).nodes.map((n) => n.id)).toContain('t');
    expect(prepareTraining(project, { host: nodeHost, registry }).trainer.fused).toBe(false);
  });
});
