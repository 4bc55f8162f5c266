// The `trained` section of a project file: float32 tensors in base64 round-trip bit for bit
// (checked against Node's own base64 as the outside oracle), float64 values with NaN, ±∞ and −0
// come back as they were, version 1 files read as before, and every problem names its field.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProject, parseProjectText } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import {
  base64ToBytes,
  base64ToFloat32,
  bytesToBase64,
  float32ToBase64,
} from '../../../core/io/base64';
import {
  parseProjectDocument,
  parseProjectDocumentText,
  projectDocumentText,
} from '../../../core/project/document';
import { decodeTrained, encodeTrained, trainedText } from '../../../core/project/trained-section';
import type { TrainerState } from '../../../core/train/trainer-state';
import { restoreTrainer, snapshotTrainer } from '../../../core/train/trainer-state';
import { LabError } from '../../../core/util/errors';
import { Rng } from '../../../core/util/rng';
import { makeProject, mlp, nodeHost, trainerFor } from '../../helpers/project';

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).code).toBe('TRAINED');
    return (e as LabError).problems;
  }
  throw new Error('expected a TRAINED error');
}

describe('base64', () => {
  it('matches Node’s base64 for every length and byte value', () => {
    const rng = new Rng(3);
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(256));
      const ours = bytesToBase64(bytes);
      expect(ours).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(ours)).toEqual(bytes);
    }
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) >>> 24);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(base64ToBytes(Buffer.from(big).toString('base64'))).toEqual(big);
  });

  it('refuses text that is not canonical base64', () => {
    for (const bad of ['abc', 'ab=c', 'a===', '====', 'ab$d', 'QR==', 'QUJ=x', 'é===']) {
      expect(base64ToBytes(bad), bad).toBeNull();
    }
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
    expect(base64ToFloat32('AAA=')).toBeNull(); // three bytes are no float32
  });

  it('float32 values round-trip bit for bit, extremes included', () => {
    const bits = new Uint32Array([
      0x00000000, // +0
      0x80000000, // −0
      0x7f800000, // +∞
      0xff800000, // −∞
      0x7fc00000, // the usual NaN
      0x7f800001, // a signalling NaN payload
      0xffffffff, // a negative NaN with every payload bit
      0x00000001, // the smallest subnormal
      0x007fffff, // the largest subnormal
      0x00800000, // the smallest normal
      0x7f7fffff, // the largest float32
      0xff7fffff,
      0x3f800000, // 1
      0x3dcccccd, // 0.1 as float32
    ]);
    const rng = new Rng(9);
    const random = Uint32Array.from({ length: 1000 }, () => rng.nextUint32());
    for (const b of [bits, random]) {
      const values = new Float32Array(b.buffer.slice(0));
      const text = float32ToBase64(values);
      expect(text).toBe(Buffer.from(b.buffer).toString('base64')); // little-endian, as written
      const back = base64ToFloat32(text)!;
      expect(Array.from(new Uint32Array(back.buffer))).toEqual(Array.from(b));
    }
  });
});

const P = makeProject(mlp(1, 4), {
  training: { optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, epochs: 4, seed: 3 },
});

function trainedAfter(steps: number, p = P) {
  const t = trainerFor(p, true);
  for (let i = 0; i < steps; i++) t.step();
  return { trainer: t, state: snapshotTrainer(t) };
}

describe('float64 values in the section', () => {
  it('NaN, ±Infinity, −0, null and ordinary numbers come back exactly', () => {
    const { state } = trainedAfter(6);
    const odd: TrainerState = {
      ...state,
      history: [
        { epoch: 1, trainLoss: 0.1 + 0.2, trainAccuracy: null, testLoss: NaN, testAccuracy: 1 },
        {
          epoch: 2,
          trainLoss: Number.MIN_VALUE,
          trainAccuracy: -0,
          testLoss: Infinity,
          testAccuracy: Number.MAX_VALUE,
        },
        { epoch: 3, trainLoss: -Infinity, trainAccuracy: 5e-324, testLoss: null, testAccuracy: 0 },
      ].slice(0, state.loop.epoch),
      loop: { ...state.loop, sums: { ...state.loop.sums, loss: 1 / 3 }, lastLoss: -0 },
    };
    const text = projectDocumentText(P, trainedText(odd));
    const back = parseProjectDocumentText(text).trained!;
    expect(back.history).toEqual(odd.history);
    expect(Object.is(back.loop.lastLoss, -0)).toBe(true);
    if (odd.history.length > 1) expect(Object.is(back.history[1].trainAccuracy, -0)).toBe(true);
    expect(back.loop.sums.loss).toBe(1 / 3);
    expect(back.loop.shuffle).toEqual(state.loop.shuffle);
    expect(back.loop.dropout).toEqual(state.loop.dropout);
  });
});

describe('the input normalization', () => {
  it('comes along with the run and reads back as the same float32 statistics', () => {
    const p = parseProject(
      makeProject(mlp(1, 4), {
        data: { source: 'builtin:moons', samples: 60, noise: 0.2, normalize: 'standardize' },
      }),
    );
    const { trainer } = prepareTraining(p, { host: nodeHost });
    for (let i = 0; i < 5; i++) trainer.step();
    const s = snapshotTrainer(trainer);
    expect(s.normalization?.kind).toBe('standardize');
    const text = projectDocumentText(p, trainedText(s));
    const back = parseProjectDocumentText(text).trained!;
    expect(back.normalization).toEqual(trainer.normalization);
    // And the run resumes on the normalized data exactly.
    const again = prepareTraining(p, { host: nodeHost }).trainer;
    restoreTrainer(again, back);
    while (!again.finished) again.step();
    while (!trainer.finished) trainer.step();
    expect(again.model.exportWeights()).toEqual(trainer.model.exportWeights());
  });

  it('broken statistics are named', () => {
    const p = parseProject(
      makeProject(mlp(1, 4), { data: { source: 'builtin:xor', samples: 40, normalize: 'minmax' } }),
    );
    const { trainer } = prepareTraining(p, { host: nodeHost });
    trainer.step();
    const v = JSON.parse(projectDocumentText(p, trainedText(snapshotTrainer(trainer))));
    v.trained.normalization.scale[1] = 0;
    expect(parseProjectDocument(v).trainedError?.message).toBe(
      'trained.normalization: "scale"[1] must be a finite, non-zero number, found 0',
    );
  });
});

describe('version 1 files and the file text', () => {
  const examples = readdirSync('examples').filter((f) => f.endsWith('.json'));

  it('every example opens as before, with no training', () => {
    expect(examples.length).toBeGreaterThan(2);
    for (const f of examples) {
      const text = readFileSync(`examples/${f}`, 'utf8');
      const doc = parseProjectDocumentText(text, f);
      expect(doc.project).toEqual(parseProjectText(text, f));
      expect(doc.trained).toBeNull();
      expect(doc.trainedError).toBeNull();
    }
  });

  it('a project without training is written as version 1, exactly as before', () => {
    const raw = JSON.parse(readFileSync('examples/xor.json', 'utf8'));
    expect(projectDocumentText(raw, null)).toBe(`${JSON.stringify(raw, null, 2)}\n`);
    expect(JSON.parse(projectDocumentText({ ...raw, version: 2 }, null)).version).toBe(1);
  });

  it('with training: version 2, the project first, the training last, long arrays on one line', () => {
    const { state } = trainedAfter(8);
    const text = projectDocumentText(P, trainedText(state));
    const v = JSON.parse(text);
    expect(v.version).toBe(2);
    expect(Object.keys(v).at(-1)).toBe('trained');
    expect(text).toMatch(/\n {4}"order": \[\d+(,\d+)+\],\n/);
    // The project part reads as the same project.
    expect(parseProjectDocument(v).project).toEqual(parseProjectDocument(P).project);
    // And a file read and written again keeps its training.
    const doc = parseProjectDocumentText(text);
    expect(projectDocumentText(P, trainedText(doc.trained!))).toBe(text);
  });
});

describe('a broken training section names its field, and the project still opens', () => {
  const good = () => JSON.parse(projectDocumentText(P, trainedText(trainedAfter(8).state)));

  it('structure: types, base64, sizes, history lengths', () => {
    const cases: [(v: Record<string, any>) => void, RegExp][] = [
      [(v) => (v.trained.epoch = -1), /^trained\.epoch: /],
      [(v) => (v.trained.optimizer.type = 'rmsprop'), /^trained\.optimizer\.type: /],
      [
        (v) => (v.trained.weights['fc1.weight'].data = 'not base64!'),
        /^trained\.weights\.fc1\.weight\.data: is not base64/,
      ],
      [
        (v) => (v.trained.weights['fc1.weight'].shape = [4, 3]),
        /^trained\.weights\.fc1\.weight\.data: holds 8 float32 values, but the shape \[4, 3\] has 12$/,
      ],
      [
        (v) => v.trained.history.testLoss.pop(),
        /^trained\.history\.testLoss: holds 1 epoch, but trained\.epoch is 2$/,
      ],
      [
        (v) => (v.trained.generators.dropout.words = [1, 2, 3]),
        /^trained\.generators\.dropout\.words: /,
      ],
      [
        (v) => (v.trained.optimizer.state['fc1.weight'].m = '@@@@'),
        /^trained\.optimizer\.state\.fc1\.weight\.m: is not base64/,
      ],
      [(v) => (v.trained.extra = 1), /^trained: .*extra/i],
    ];
    for (const [spoil, want] of cases) {
      const v = good();
      spoil(v);
      const doc = parseProjectDocument(v, 'p.json');
      expect(doc.project.nodes.map((n) => n.id)).toEqual(['x', 'fc1', 'h1', 'out', 'y']);
      expect(doc.trained).toBeNull();
      expect(doc.trainedError?.code).toBe('TRAINED');
      expect(doc.trainedError?.problems[0], String(want)).toMatch(want);
      expect(doc.trainedError?.message).toMatch(/^p\.json: /);
    }
  });

  it('a training section in a version 1 file', () => {
    const v = { ...good(), version: 1 };
    const doc = parseProjectDocument(v, 'p.json');
    expect(doc.trainedError?.message).toBe(
      'p.json: trained: a project with its training is format version 2, but the file says version 1',
    );
    expect(doc.trainedError?.place.path).toBe('version');
  });

  it('a mismatch with the network, the optimizer, the data or the batch size', () => {
    const { state } = trainedAfter(8); // two epochs of three batches, and two batches of the third
    const into = (over: Partial<typeof P>, training: Partial<typeof P.training> = {}) =>
      trainerFor({ ...P, ...over, training: { ...P.training, ...training } }, true);
    const cases: [ReturnType<typeof into>, RegExp[]][] = [
      [
        into({ nodes: mlp(1, 5) }),
        [
          /^trained\.weights\.fc1\.weight: expected shape \[5, 2\], file has \[4, 2\]$/,
          /^trained\.weights\.fc1\.bias: expected shape \[5\]/,
          /^trained\.weights\.out\.weight: /,
          /^trained\.optimizer\.state\.fc1\.weight\.m: must hold 10 float32 values/,
        ],
      ],
      [
        into({}, { optimizer: { type: 'sgd', lr: 0.1 } }),
        [
          /^trained\.optimizer\.type: the network was trained with adam, but the project's optimizer is sgd/,
        ],
      ],
      [
        into({ data: { ...P.data, samples: 80 } }),
        [
          /^trained\.data\.samples: the network was trained on 48 training samples, but the project's data gives 60/,
        ],
      ],
      [
        into({ data: { ...P.data, noise: 0.3 } }),
        [/^trained\.data\.checksum: the training data differs/],
      ],
      [
        into({}, { batchSize: 12 }),
        [
          /^trained\.batchSize: the run stopped after batch 2 of an epoch in batches of 16, but the project's batchSize is 12/,
        ],
      ],
    ];
    for (const [t, want] of cases) {
      const before = t.model.exportWeights();
      const problems = problemsOf(() => restoreTrainer(t, state));
      for (const w of want)
        expect(
          problems.some((p) => w.test(p)),
          `${w}\n${problems.join('\n')}`,
        ).toBe(true);
      // Nothing was changed.
      expect(t.model.exportWeights()).toEqual(before);
      expect(t.epoch).toBe(1);
    }
  });

  it('settings that do not change what was trained may differ: epochs, learning rate, shuffle', () => {
    const { state } = trainedAfter(8);
    const t = trainerFor(
      {
        ...P,
        training: {
          ...P.training,
          epochs: 50,
          shuffle: false,
          optimizer: { type: 'adam', lr: 0.5 },
        },
      },
      true,
    );
    restoreTrainer(t, state);
    expect(t.epoch).toBe(3);
    expect(t.epochs).toBe(50);
  });

  it('at an epoch’s end the batch size may change', () => {
    const { state } = trainedAfter(6); // two whole epochs of three batches
    expect(state.loop.batch).toBe(0);
    const t = trainerFor({ ...P, training: { ...P.training, batchSize: 8 } }, true);
    restoreTrainer(t, state);
    expect(t.batchesPerEpoch).toBe(6);
    t.step();
  });

  it('an order that is no permutation of the training samples', () => {
    const { state } = trainedAfter(5);
    const order = state.loop.order.slice();
    order[3] = order[4];
    const problems = problemsOf(() =>
      restoreTrainer(trainerFor(P, true), { ...state, loop: { ...state.loop, order } }),
    );
    expect(problems).toEqual([expect.stringMatching(/^trained\.order: sample \d+ appears twice/)]);
    expect(decodeTrained(encodeTrained(state)).loop.order).toEqual(state.loop.order);
  });
});
