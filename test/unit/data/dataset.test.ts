import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../core/data/dataset';
import { classCounts, oneHot, subset, trainTestSplit } from '../../../core/data/dataset';
import { GENERATORS } from '../../../core/data/generators/index';
import { LabError } from '../../../core/util/errors';

/** x = [i, 10 i], y = i % 3 with classes a, b, c. */
function counting(n: number): Dataset {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 10 * i;
    y[i] = i % 3;
  }
  return {
    name: 'counting',
    n,
    inDim: 2,
    yDim: 1,
    x,
    y,
    featureNames: ['i', 'ten_i'],
    targetNames: ['k'],
    classNames: ['a', 'b', 'c'],
    numClasses: 3,
  };
}

describe('subset', () => {
  it('takes rows in the given order and keeps the names', () => {
    const s = subset(counting(10), [7, 2, 2]);
    expect(s.n).toBe(3);
    expect(Array.from(s.x)).toEqual([7, 70, 2, 20, 2, 20]);
    expect(Array.from(s.y)).toEqual([1, 2, 2]);
    expect(s.featureNames).toEqual(['i', 'ten_i']);
    expect(s.classNames).toEqual(['a', 'b', 'c']);
    expect(s.numClasses).toBe(3);
  });

  it('rejects an index out of range', () => {
    expect(() => subset(counting(4), [4])).toThrow(/sample index 4 is out of range/);
  });
});

describe('trainTestSplit', () => {
  const ds = counting(100);

  it('puts round(n * fraction) samples in the test set, each sample exactly once', () => {
    const { train, test } = trainTestSplit(ds, 0.2, 42);
    expect([train.n, test.n]).toEqual([80, 20]);
    const seen = [
      ...train.x.filter((_, i) => i % 2 === 0),
      ...test.x.filter((_, i) => i % 2 === 0),
    ];
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(train.inDim).toBe(2);
    expect(test.classNames).toEqual(['a', 'b', 'c']);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = trainTestSplit(ds, 0.3, 5);
    const b = trainTestSplit(ds, 0.3, 5);
    const c = trainTestSplit(ds, 0.3, 6);
    expect(a.test.x).toEqual(b.test.x);
    expect(a.train.y).toEqual(b.train.y);
    expect(a.test.x).not.toEqual(c.test.x);
  });

  it('keeps the original order within each part', () => {
    const { train, test } = trainTestSplit(ds, 0.25, 1);
    for (const part of [train, test]) {
      for (let i = 1; i < part.n; i++) expect(part.x[2 * i]).toBeGreaterThan(part.x[2 * i - 2]);
    }
  });

  it('gives an empty test set for fraction 0', () => {
    const { train, test } = trainTestSplit(ds, 0, 1);
    expect(train.n).toBe(100);
    expect(train.x).toEqual(ds.x);
    expect(test.n).toBe(0);
    expect(test.x.length).toBe(0);
    expect(test.y.length).toBe(0);
    expect(test.inDim).toBe(2);
  });

  it('keeps at least one training sample', () => {
    const { train, test } = trainTestSplit(counting(1), 0.9, 1);
    expect([train.n, test.n]).toEqual([1, 0]);
  });

  it('rejects a fraction outside [0, 1)', () => {
    for (const f of [-0.1, 1, 2, NaN]) {
      expect(() => trainTestSplit(ds, f, 0)).toThrow(/testFraction must be at least 0/);
    }
  });

  it('splits generated data the same way run after run', () => {
    const data = GENERATORS.spiral({ samples: 200, noise: 0.1, seed: 42 });
    const a = trainTestSplit(data, 0.2, 42);
    const b = trainTestSplit(GENERATORS.spiral({ samples: 200, noise: 0.1, seed: 42 }), 0.2, 42);
    expect(Buffer.from(a.test.x.buffer).equals(Buffer.from(b.test.x.buffer))).toBe(true);
  });
});

describe('oneHot', () => {
  it('turns class indices into one-hot rows', () => {
    const h = oneHot(counting(4));
    expect(h.yDim).toBe(3);
    expect(Array.from(h.y)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expect(h.targetNames).toEqual(['a', 'b', 'c']);
    expect(h.numClasses).toBe(3);
    expect(classCounts(h)).toEqual([2, 1, 1]);
  });

  it('rejects targets that are not class indices', () => {
    const ds = counting(3);
    expect(() => oneHot({ ...ds, numClasses: undefined })).toThrow(LabError);
    expect(() => oneHot({ ...ds, y: new Float32Array([0, 1, 5]) })).toThrow(/class 5, not in 0..2/);
  });
});
