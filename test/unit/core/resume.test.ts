// A run saved at any batch, written into a project file, read back and resumed gives the weights
// an uninterrupted run gives, bit for bit: the fused plan and the tape, SGD with momentum and
// Adam, dropout drawing from its generator, shuffling, a held-out test split, normalized inputs.
import { describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../core/graph/schema';
import { parseProjectDocumentText, projectDocumentText } from '../../../core/project/document';
import { encodeTrained, trainedText } from '../../../core/project/trained-section';
import type { Trainer } from '../../../core/train/trainer';
import { restoreTrainer, snapshotTrainer } from '../../../core/train/trainer-state';
import { type NodeSpec, makeProject, trainerFor } from '../../helpers/project';

/** x → Dense 8 → Tanh → Dropout 0.25 → Dense 1 → Sigmoid: a plain chain the fused plan runs. */
const CHAIN: NodeSpec[] = [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'fc1', type: 'Dense', params: { units: 8 }, inputs: ['x'] },
  { id: 'h1', type: 'Tanh', inputs: ['fc1'] },
  { id: 'drop', type: 'Dropout', params: { p: 0.25 }, inputs: ['h1'] },
  { id: 'fc2', type: 'Dense', params: { units: 1 }, inputs: ['drop'] },
  { id: 'y', type: 'Sigmoid', inputs: ['fc2'] },
];

/** Two branches added: a DAG, which only the tape trains. */
const DAG: NodeSpec[] = [
  { id: 'x', type: 'Input', params: { shape: [2] } },
  { id: 'a', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
  { id: 'b', type: 'Dense', params: { units: 6 }, inputs: ['x'] },
  { id: 'ta', type: 'Tanh', inputs: ['a'] },
  { id: 'sum', type: 'Add', inputs: ['ta', 'b'] },
  { id: 'drop', type: 'Dropout', params: { p: 0.2 }, inputs: ['sum'] },
  { id: 'out', type: 'Dense', params: { units: 1 }, inputs: ['drop'] },
  { id: 'y', type: 'Sigmoid', inputs: ['out'] },
];

const OPTIMIZERS = {
  'SGD with momentum': { type: 'sgd', lr: 0.3, momentum: 0.9, weightDecay: 1e-4 },
  Adam: { type: 'adam', lr: 0.02, weightDecay: 1e-3 },
} as const;

function projectWith(
  nodes: NodeSpec[],
  optimizer: ProjectInput['training'] extends infer T ? T : never,
) {
  return makeProject(nodes, {
    // 60 samples, 48 to train in batches of 10: five batches an epoch, the last one short.
    data: { source: 'builtin:moons', samples: 60, noise: 0.2, testFraction: 0.2 },
    training: { batchSize: 10, epochs: 6, seed: 11, shuffle: true, ...optimizer },
  });
}

function bits(t: Trainer): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, w] of t.model.weights)
    out[k] = Array.from(new Uint32Array(Float32Array.from(w.data).buffer));
  return out;
}

/** Train `steps` batches, save into a project file's text, read it back into a new trainer. */
function saveAndReopen(p: ProjectInput, fused: boolean, steps: number, epochs?: number): Trainer {
  const first = trainerFor(p, fused);
  for (let i = 0; i < steps && !first.finished; i++) first.step();
  const text = projectDocumentText(p, trainedText(snapshotTrainer(first)));
  const doc = parseProjectDocumentText(text, 'saved.json');
  expect(doc.trainedError).toBeNull();
  const again = {
    ...p,
    training: { ...p.training, ...(epochs === undefined ? {} : { epochs }) },
  };
  const second = trainerFor(again, fused);
  restoreTrainer(second, doc.trained!);
  return second;
}

function runToEnd(t: Trainer): Trainer {
  while (!t.finished) t.step();
  return t;
}

describe('a resumed run is the uninterrupted run, bit for bit', () => {
  for (const [net, nodes] of Object.entries({ chain: CHAIN, DAG })) {
    for (const [optName, optimizer] of Object.entries(OPTIMIZERS)) {
      for (const fused of net === 'chain' ? [true, false] : [false]) {
        const path = fused ? 'fused plan' : 'tape';
        it(`${net}, ${optName}, ${path}: saved mid-epoch and at an epoch's end`, () => {
          const p = projectWith(nodes, { optimizer });
          const whole = runToEnd(trainerFor(p, fused));
          expect(whole.fused).toBe(fused);
          for (const steps of [1, 7, 10, 23]) {
            const resumed = runToEnd(saveAndReopen(p, fused, steps));
            expect(resumed.fused).toBe(fused);
            expect(bits(resumed), `saved after ${steps} batches`).toEqual(bits(whole));
            expect(resumed.history).toEqual(whole.history);
            expect(resumed.optimizer.steps).toBe(whole.optimizer.steps);
          }
        });
      }
    }
  }

  it('a finished run continues to more epochs as if it had been asked for them at once', () => {
    const p = projectWith(CHAIN, { optimizer: OPTIMIZERS.Adam, epochs: 3 });
    const longer = runToEnd(trainerFor({ ...p, training: { ...p.training, epochs: 7 } }, true));
    const resumed = saveAndReopen(p, true, Infinity, 7);
    expect(resumed.epoch).toBe(4);
    expect(resumed.history).toHaveLength(3);
    expect(bits(runToEnd(resumed))).toEqual(bits(longer));
    expect(resumed.history).toEqual(longer.history);
  });

  it('saved twice along the way, still the same', () => {
    const p = projectWith(CHAIN, { optimizer: OPTIMIZERS['SGD with momentum'] });
    const whole = runToEnd(trainerFor(p, true));
    const mid = saveAndReopen(p, true, 4);
    for (let i = 0; i < 9; i++) mid.step();
    const text = projectDocumentText(p, trainedText(snapshotTrainer(mid)));
    const last = trainerFor(p, true);
    restoreTrainer(last, parseProjectDocumentText(text).trained!);
    expect(bits(runToEnd(last))).toEqual(bits(whole));
  });

  it('the fused plan and the tape resume each other’s runs', () => {
    const p = projectWith(CHAIN, { optimizer: OPTIMIZERS.Adam });
    const whole = runToEnd(trainerFor(p, true));
    const tape = trainerFor(p, false);
    for (let i = 0; i < 12; i++) tape.step();
    const fused = trainerFor(p, true);
    restoreTrainer(fused, snapshotTrainer(tape));
    expect(bits(runToEnd(fused))).toEqual(bits(whole));
  });
});

describe('normalized inputs: the statistics are saved with the run and checked on resume', () => {
  const scaled = (normalize: 'standardize' | 'minmax') => {
    const p = projectWith(CHAIN, { optimizer: OPTIMIZERS.Adam });
    return { ...p, data: { ...p.data, normalize } } as ProjectInput;
  };

  for (const normalize of ['standardize', 'minmax'] as const) {
    for (const fused of [true, false]) {
      it(`${normalize}, ${fused ? 'fused plan' : 'tape'}: resumed mid-epoch, bit for bit`, () => {
        const p = scaled(normalize);
        const whole = runToEnd(trainerFor(p, fused));
        expect(whole.normalization?.kind).toBe(normalize);
        const resumed = saveAndReopen(p, fused, 13);
        expect(resumed.normalization).toEqual(whole.normalization);
        expect(bits(runToEnd(resumed))).toEqual(bits(whole));
        expect(resumed.history).toEqual(whole.history);
      });
    }
  }

  it('the saved statistics are the training split’s, as float32 values', () => {
    const p = scaled('standardize');
    const t = trainerFor(p, true);
    t.step();
    const saved = JSON.parse(projectDocumentText(p, trainedText(snapshotTrainer(t)))).trained;
    expect(saved.normalization.kind).toBe('standardize');
    expect(saved.normalization.offset.map(Math.fround)).toEqual(t.normalization!.offset);
    expect(saved.normalization.scale.map(Math.fround)).toEqual(t.normalization!.scale);
  });

  it('statistics changed in the file are named, and the run is not resumed', () => {
    const p = scaled('minmax');
    const first = trainerFor(p, true);
    for (let i = 0; i < 3; i++) first.step();
    const v = JSON.parse(projectDocumentText(p, trainedText(snapshotTrainer(first))));
    const right = v.trained.normalization.scale[1];
    expect(right).toBe(1.7591869); // the float32 range of the second feature, in its shortest text
    v.trained.normalization.scale[1] = right * 2;
    const doc = parseProjectDocumentText(JSON.stringify(v), 'edited.json');
    expect(doc.trainedError).toBeNull(); // well-formed: only the resume can tell
    const second = trainerFor(p, true);
    const before = bits(second);
    expect(() => restoreTrainer(second, doc.trained!)).toThrow(
      `the saved training does not fit the project: trained.normalization.scale[1]: is 3.5183737, but data.normalize "minmax" of the training split gives 1.7591869: these are not the statistics the network was trained with`,
    );
    expect(bits(second)).toEqual(before); // nothing was changed
    expect(second.epoch).toBe(1);
  });
});

describe('what the saved run holds', () => {
  it('the epoch, the position in it, the optimizer state and the history', () => {
    const p = projectWith(CHAIN, { optimizer: OPTIMIZERS.Adam });
    const t = trainerFor(p, true);
    for (let i = 0; i < 13; i++) t.step();
    const json = encodeTrained(snapshotTrainer(t));
    expect(json).toMatchObject({ epoch: 2, batch: 3, batchSize: 10 });
    expect(json.optimizer.type).toBe('adam');
    expect(json.optimizer.steps).toBe(13);
    expect(Object.keys(json.optimizer.state).sort()).toEqual(
      ['fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight'].sort(),
    );
    expect(json.optimizer.state['fc1.weight'].t).toBe(13);
    expect(json.history.trainLoss).toHaveLength(2);
    expect(json.order.slice().sort((a, b) => a - b)).toEqual([...Array(48).keys()]);
    expect(json.epochSoFar.seen).toBe(30);
    expect(json.data.samples).toBe(48);
    expect(json.data.checksum).toMatch(/^fnv1a32:[0-9a-f]{8}$/);
  });

  it('plain SGD keeps no optimizer state; frozen weights get none either', () => {
    const p = projectWith(
      CHAIN.map((n) => (n.id === 'fc1' ? { ...n, frozen: true } : n)),
      { optimizer: { type: 'sgd', lr: 0.1 } },
    );
    const t = trainerFor(p, true);
    t.step();
    expect(encodeTrained(snapshotTrainer(t)).optimizer.state).toEqual({});
    const m = trainerFor(
      { ...p, training: { ...p.training, optimizer: OPTIMIZERS['SGD with momentum'] } },
      true,
    );
    m.step();
    expect(Object.keys(encodeTrained(snapshotTrainer(m)).optimizer.state)).toEqual([
      'fc2.weight',
      'fc2.bias',
    ]);
  });
});

describe('a long history', () => {
  it('of 200,000 epochs is restored whole (no spread into one call)', () => {
    const p = projectWith(CHAIN, { optimizer: OPTIMIZERS.Adam });
    const first = trainerFor(p, true);
    first.step();
    const state = snapshotTrainer(first);
    const entry = first.history[0] ?? { epoch: 1, trainLoss: 0.5, testLoss: null };
    const long = {
      ...state,
      loop: { ...state.loop, epoch: 200_000 },
      history: Array.from({ length: 200_000 }, () => ({ ...entry })),
    };
    const again = trainerFor(p, true);
    restoreTrainer(again, long as typeof state);
    expect(again.history.length).toBe(200_000);
  });
});
