// data.normalize: statistics against scikit-learn (test/fixtures/torch/normalize.json), from the
// training split only, constant features without a division by zero, and "none" leaving the
// data — and so the trained weights — exactly as they were.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Dataset, trainTestSplit } from '../../../core/data/dataset';
import {
  fitNormalization,
  normalizeFeatures,
  readNormalization,
} from '../../../core/data/normalize';
import { parseProject } from '../../../core/graph/parse';
import { prepareTraining } from '../../../core/project/prepare';
import { makeProject, mlp, nodeHost } from '../../helpers/project';
import { expectClose } from '../torch/tolerance';

interface NormalizeFixture {
  train: number[][];
  test: number[][];
  cases: {
    kind: 'standardize' | 'minmax';
    offset: number[];
    scale: number[];
    train: number[][];
    test: number[][];
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/normalize.json', import.meta.url), 'utf8'),
) as NormalizeFixture;

function dataset(rows: number[][]): Dataset {
  const inDim = rows[0].length;
  return {
    name: 'rows',
    n: rows.length,
    inDim,
    yDim: 1,
    x: Float32Array.from(rows.flat()),
    y: new Float32Array(rows.length),
    featureNames: rows[0].map((_, j) => `f${j}`),
    targetNames: ['y'],
  };
}

// Statistics in float32 against scikit-learn's float64: a few roundings, relative 1e-6; a
// transformed value near 0 is a difference of nearby numbers, hence the absolute part.
const TOL = { atol: 2e-6, rtol: 2e-6 };

describe('data.normalize against scikit-learn', () => {
  const train = dataset(fixture.train);
  const test = dataset(fixture.test);
  for (const c of fixture.cases) {
    it(`${c.kind}: statistics and transformed rows (a constant feature, one near 1e30)`, () => {
      const norm = fitNormalization(c.kind, train)!;
      expect(norm.kind).toBe(c.kind);
      expectClose({ shape: [5], data: norm.offset }, { shape: [5], data: c.offset }, TOL, 'offset');
      expectClose({ shape: [5], data: norm.scale }, { shape: [5], data: c.scale }, TOL, 'scale');
      // The constant feature (7.25) gets scale 1 and becomes 0.
      expect(norm.scale[2]).toBe(1);
      for (const [ds, want] of [
        [train, c.train],
        [test, c.test],
      ] as const) {
        const got = normalizeFeatures(norm, ds.x, ds.inDim);
        expect(got.every(Number.isFinite)).toBe(true);
        expectClose(
          { shape: [ds.n, 5], data: got },
          { shape: [ds.n, 5], data: want.flat() },
          TOL,
          'rows',
        );
      }
      for (const v of [...norm.offset, ...norm.scale]) expect(Math.fround(v)).toBe(v);
    });
  }

  it('computes in float32, one subtraction and one division, as ONNX Sub and Div do', () => {
    const norm = fitNormalization('standardize', train)!;
    const got = normalizeFeatures(norm, train.x, 5);
    for (let i = 0; i < got.length; i++) {
      const j = i % 5;
      expect(got[i]).toBe(Math.fround(Math.fround(train.x[i] - norm.offset[j]) / norm.scale[j]));
    }
  });

  it('a min-max range past float32 is refused with the feature named', () => {
    const huge = dataset([
      [3e38, 1],
      [-3e38, 2],
    ]);
    expect(() => fitNormalization('minmax', huge)).toThrow(
      /data\.normalize "minmax": the feature 'f0' spans -3e\+38 to 3e\+38.*use "standardize"/,
    );
    const s = fitNormalization('standardize', huge)!;
    expect(Array.from(normalizeFeatures(s, huge.x, 2))).toEqual([1, -1, -1, 1]);
  });

  it('"none" has no statistics', () => {
    expect(fitNormalization('none', train)).toBeNull();
  });
});

describe('normalization in a project', () => {
  // Inline data whose test samples (as the split with the project's seed 7 picks them) are far
  // outliers: the statistics must not see them.
  const testRows = new Set(
    trainTestSplit(dataset(Array.from({ length: 32 }, (_, i) => [i])), 0.25, 7).test.x,
  );
  const x = Array.from({ length: 32 }, (_, i) =>
    testRows.has(i) ? [1e4 + i, -1e5] : [i, (i % 5) * 100],
  );
  const y = x.map((_, i) => [i % 2]);
  const project = (normalize?: 'none' | 'standardize' | 'minmax') =>
    parseProject(
      makeProject(mlp(1, 4), {
        data: { x, y, testFraction: 0.25, ...(normalize ? { normalize } : {}) },
      }),
    );

  it('takes its statistics from the training split only, and normalizes both splits', () => {
    const pr = project('minmax');
    const p = prepareTraining(pr, { host: nodeHost });
    const raw = trainTestSplit(p.data, 0.25, pr.training.seed);
    expect(raw.test.n).toBe(8);
    expect(Array.from(raw.test.x).filter((v) => v >= 1e4)).toHaveLength(8); // the outliers are the test samples
    const want = fitNormalization('minmax', raw.train)!;
    expect(fitNormalization('minmax', p.data)).not.toEqual(want); // all the data would differ
    expect(p.normalization).toEqual(want);
    expect(p.trainer.normalization).toEqual(want);
    expect(p.train.x).toEqual(normalizeFeatures(want, raw.train.x, 2));
    expect(p.test.x).toEqual(normalizeFeatures(want, raw.test.x, 2));
    // Every training value lies in [0, 1]; the test outliers fall far outside.
    expect(Math.min(...p.train.x)).toBe(0);
    expect(Math.max(...p.train.x)).toBe(1);
    expect(Math.max(...p.test.x)).toBeGreaterThan(100);
  });

  it('"none" and no field at all leave the features untouched, bit for bit', () => {
    for (const kind of [undefined, 'none'] as const) {
      const p = prepareTraining(project(kind), { host: nodeHost });
      expect(p.normalization).toBeNull();
      const q = prepareTraining(project(kind), { host: nodeHost });
      q.trainer.runEpoch();
      p.trainer.runEpoch();
      expect(p.trainer.model.exportWeights()).toEqual(q.trainer.model.exportWeights());
      const raw = trainTestSplit(p.data, 0.25, 7);
      expect(p.train.x).toEqual(raw.train.x);
      expect(p.test.x).toEqual(raw.test.x);
    }
  });
});

describe('normalization read from a file', () => {
  it('is checked, naming the field', () => {
    const ok = readNormalization({ kind: 'minmax', offset: [0, 1], scale: [2, 0.5] }, 'n');
    expect(ok).toEqual({ kind: 'minmax', offset: [0, 1], scale: [2, 0.5] });
    expect(() => readNormalization({ kind: 'zscore', offset: [0], scale: [1] }, 'n')).toThrow(
      'n: "kind" must be "standardize" or "minmax", found "zscore"',
    );
    expect(() => readNormalization({ kind: 'minmax', offset: [0], scale: [0] }, 'n')).toThrow(
      'n: "scale"[0] must be a finite, non-zero number, found 0',
    );
    expect(() => readNormalization({ kind: 'minmax', offset: [0, 1], scale: [1] }, 'n')).toThrow(
      'n: "offset" has 2 values but "scale" has 1',
    );
    expect(() => readNormalization([1], 'n')).toThrow('n: must be an object');
  });
});
