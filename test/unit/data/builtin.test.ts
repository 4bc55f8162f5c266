import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_FILES,
  BUILTIN_GENERATORS,
  BUILTIN_NAMES,
  loadBuiltin,
} from '../../../core/data/builtin';
import { classCounts } from '../../../core/data/dataset';
import { LabError } from '../../../core/util/errors';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readDataFile = (name: string) => readFileSync(`${root}data/${name}`, 'utf8');

describe('built-in data sets', () => {
  it('lists the generators and the data files', () => {
    expect(BUILTIN_GENERATORS).toEqual(['xor', 'circle', 'gauss', 'spiral', 'moons']);
    expect(BUILTIN_FILES).toEqual({ iris: 'iris.csv', digits: 'digits.csv' });
    expect(BUILTIN_NAMES).toEqual([...BUILTIN_GENERATORS, 'iris', 'digits']);
  });

  it('runs a generator with defaults 200 samples, noise 0.1, seed 0', () => {
    const ds = loadBuiltin('xor', {}, readDataFile);
    expect(ds.n).toBe(200);
    expect(ds.x).toEqual(loadBuiltin('xor', { samples: 200, noise: 0.1, seed: 0 }, readDataFile).x);
    expect(loadBuiltin('moons', { samples: 50, seed: 3 }, readDataFile).n).toBe(50);
  });

  it('loads iris: 150 x 4, three classes of 50', () => {
    const ds = loadBuiltin('iris', {}, readDataFile);
    expect(ds.name).toBe('iris');
    expect([ds.n, ds.inDim, ds.yDim]).toEqual([150, 4, 1]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(ds.targetNames).toEqual(['species']);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(ds.numClasses).toBe(3);
    expect(classCounts(ds)).toEqual([50, 50, 50]);
    expect(Array.from(ds.x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
  });

  it('loads digits: 1797 x 64 in [0, 1], ten classes', () => {
    const ds = loadBuiltin('digits', {}, readDataFile);
    expect(ds.name).toBe('digits');
    expect([ds.n, ds.inDim, ds.yDim]).toEqual([1797, 64, 1]);
    expect(ds.featureNames[0]).toBe('p0');
    expect(ds.featureNames[63]).toBe('p63');
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.numClasses).toBe(10);
    expect(ds.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Math.max(...ds.x)).toBe(1);
    expect(ds.y.every((v) => Number.isInteger(v) && v >= 0 && v <= 9)).toBe(true);
    const counts = classCounts(ds);
    expect(counts.reduce((a, b) => a + b)).toBe(1797);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(174);
  });

  it('rejects an unknown name, listing the known ones', () => {
    try {
      loadBuiltin('mnist', {}, readDataFile);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LabError);
      expect((e as LabError).code).toBe('DATA');
      expect((e as LabError).message).toBe(
        "unknown built-in data set 'mnist'; the built-in data sets are: " +
          'xor, circle, gauss, spiral, moons, iris, digits',
      );
    }
  });

  it('does not treat Object.prototype names as generators', () => {
    expect(() => loadBuiltin('toString', {}, readDataFile)).toThrow(/unknown built-in/);
  });

  it('reports a data file the host cannot read', () => {
    const missing = () => {
      throw new Error('ENOENT: no such file');
    };
    expect(() => loadBuiltin('iris', {}, missing)).toThrow(
      'cannot read the built-in data file iris.csv: ENOENT: no such file',
    );
  });

  const python = '/usr/bin/python3';
  const hasSklearn = (() => {
    if (!existsSync(python)) return false;
    try {
      execFileSync(python, ['-c', 'import sklearn.datasets'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasSklearn)('data/*.csv are what scripts/make-datasets.py makes', () => {
    execFileSync(python, [`${root}scripts/make-datasets.py`, '--check'], { stdio: 'pipe' });
  });
});
