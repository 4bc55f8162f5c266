import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DataHost, DataSpec } from '../../../core/data/resolve';
import { resolveData } from '../../../core/data/resolve';
import { LabError } from '../../../core/util/errors';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function host(userFiles: Record<string, string> = {}): DataHost {
  return {
    readDataFile: (name) => readFileSync(`${root}data/${name}`, 'utf8'),
    readUserFile: (path) => {
      if (!(path in userFiles)) throw new Error(`ENOENT: no such file '${path}'`);
      return userFiles[path];
    },
  };
}

function dataError(spec: unknown, h = host()): LabError {
  try {
    resolveData(spec as DataSpec, h);
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    return e as LabError;
  }
  throw new Error('resolveData did not throw');
}

describe('resolveData', () => {
  it('builtin: passes samples, noise and seed, with defaults 200, 0.1, 0', () => {
    const ds = resolveData({ source: 'builtin:xor', testFraction: 0.2 }, host());
    expect(ds.n).toBe(200);
    const same = resolveData({ source: 'builtin:xor', samples: 200, noise: 0.1, seed: 0 }, host());
    expect(ds.x).toEqual(same.x);
    const other = resolveData({ source: 'builtin:xor', samples: 64, noise: 0, seed: 42 }, host());
    expect(other.n).toBe(64);
  });

  it('builtin: loads iris through the host', () => {
    const ds = resolveData({ source: 'builtin:iris' }, host());
    expect([ds.n, ds.inDim, ds.numClasses]).toEqual([150, 4, 3]);
  });

  it('builtin: an unknown name lists the known ones', () => {
    const e = dataError({ source: 'builtin:nope' });
    expect(e.code).toBe('DATA');
    expect(e.message).toContain('xor, circle, gauss, spiral, moons, iris, digits');
  });

  it('csv: reads the user file with "target" or "targets"', () => {
    const files = { 'pts.csv': 'x1,x2,cls\n0,1,a\n1,0,b\n', 'num.csv': 'a,b,c\n1,2,3\n' };
    const a = resolveData({ source: 'csv:pts.csv', target: 'cls' }, host(files));
    expect(a.classNames).toEqual(['a', 'b']);
    expect(a.name).toBe('pts');
    const b = resolveData({ source: 'csv:num.csv', targets: ['c', 'a'] } as DataSpec, host(files));
    expect(b.targetNames).toEqual(['c', 'a']);
    expect(Array.from(b.y)).toEqual([3, 1]);
  });

  it('csv: errors name the file', () => {
    const files = { 'bad.csv': 'x,y\n1,0\nq,1\n' };
    const e = dataError({ source: 'csv:bad.csv', target: 'y' }, host(files));
    expect(e.code).toBe('CSV');
    expect(e.message).toBe('bad.csv:3:1: "q" is not a number (column \'x\')');
  });

  it('csv: a missing target field, an unreadable file', () => {
    expect(dataError({ source: 'csv:a.csv' }).message).toMatch(/csv data needs "target"/);
    const e = dataError({ source: 'csv:missing.csv', target: 'y' });
    expect(e.code).toBe('DATA');
    expect(e.message).toBe("cannot read missing.csv: ENOENT: no such file 'missing.csv'");
  });

  it('a source of an unknown kind', () => {
    const e = dataError({ source: 'http://example.com/x.csv' });
    expect(e.message).toBe(
      'data.source must be "builtin:<name>" or "csv:<path>", got "http://example.com/x.csv"',
    );
    expect(e.place).toEqual({ path: 'data.source' });
  });

  it('inline x and y', () => {
    const ds = resolveData(
      {
        x: [
          [0, 0],
          [0, 1],
          [1, 0],
        ],
        y: [[0], [1], 1],
      },
      host(),
    );
    expect([ds.n, ds.inDim, ds.yDim]).toEqual([3, 2, 1]);
    expect(Array.from(ds.x)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(Array.from(ds.y)).toEqual([0, 1, 1]);
    expect(ds.featureNames).toEqual(['x1', 'x2']);
    expect(ds.targetNames).toEqual(['y']);
  });

  it('inline: errors name the row', () => {
    expect(dataError({ x: [[0, 0], [1]], y: [[0], [1]] }).message).toBe(
      'data.x[1] has 1 values, but data.x[0] has 2',
    );
    const e = dataError({ x: [[0], [Infinity]], y: [[0], [1]] });
    expect(e.message).toBe('data.x[1][0] must be a finite number, got null');
    expect(e.place).toEqual({ path: 'data.x[1]' });
    expect(dataError({ x: [[0], ['a']], y: [[0], [1]] }).message).toBe(
      'data.x[1][0] must be a finite number, got "a"',
    );
    expect(dataError({ x: [[0], [1]], y: [[0]] }).message).toBe(
      'data.x has 2 rows but data.y has 1; they need one row per sample',
    );
    expect(dataError({ x: [[0], 5], y: [[0], [1]] }).message).toBe(
      'data.x[1] must be a list of numbers',
    );
    expect(dataError({ x: [], y: [] }).message).toBe('data.x has no rows');
  });

  it('no source and no inline data', () => {
    expect(dataError({}).message).toMatch(/data needs a "source"/);
  });
});
