import { describe, expect, it } from 'vitest';
import { parseCell, parseCsv } from '../../../core/data/csv';

describe('parseCsv', () => {
  it('reads features, a string label column, quotes and CRLF', () => {
    const text =
      'a,"b, with comma",label\r\n' +
      '1,2.5,cat\r\n' +
      '"3",-4e-1,"big ""dog"""\r\n' +
      '\r\n' +
      ' 5 , .5 ,cat\r\n';
    const ds = parseCsv(text, { targets: ['label'], file: 'pets.csv' });
    expect(ds.name).toBe('pets');
    expect([ds.n, ds.inDim, ds.yDim]).toEqual([3, 2, 1]);
    expect(ds.featureNames).toEqual(['a', 'b, with comma']);
    expect(ds.targetNames).toEqual(['label']);
    expect(Array.from(ds.x)).toEqual([1, 2.5, 3, -0.4, 5, 0.5].map(Math.fround));
    expect(ds.classNames).toEqual(['cat', 'big "dog"']);
    expect(ds.numClasses).toBe(2);
    expect(Array.from(ds.y)).toEqual([0, 1, 0]);
  });

  it('keeps an all-numeric target numeric (regression, binary)', () => {
    const ds = parseCsv('y,x1,x2\n0.5,1,2\n1,3,4', { targets: ['y'] });
    expect(ds.name).toBe('csv');
    expect(ds.featureNames).toEqual(['x1', 'x2']);
    expect(Array.from(ds.y)).toEqual([0.5, 1]);
    expect(ds.classNames).toBeUndefined();
    expect(ds.numClasses).toBeUndefined();
  });

  it('takes several numeric targets in the order given', () => {
    const ds = parseCsv('p,q,x\n1,2,9\n3,4,8\n', { targets: ['q', 'p'] });
    expect([ds.inDim, ds.yDim]).toEqual([1, 2]);
    expect(ds.targetNames).toEqual(['q', 'p']);
    expect(Array.from(ds.y)).toEqual([2, 1, 4, 3]);
    expect(Array.from(ds.x)).toEqual([9, 8]);
  });

  it('accepts LF without a trailing newline, a BOM, blank lines and quoted line breaks', () => {
    const ds = parseCsv('\uFEFF\n\nx,note\n1,"two\nlines"\n\n2,plain', { targets: ['note'] });
    expect(ds.featureNames).toEqual(['x']);
    expect(ds.classNames).toEqual(['two\nlines', 'plain']);
    expect(Array.from(ds.x)).toEqual([1, 2]);
  });

  it('maps labels in order of first appearance', () => {
    const ds = parseCsv('x,c\n1,b\n2,a\n3,b\n4,c\n', { targets: ['c'] });
    expect(ds.classNames).toEqual(['b', 'a', 'c']);
    expect(Array.from(ds.y)).toEqual([0, 1, 0, 2]);
  });

  it('accepts only plain decimal numbers as numbers', () => {
    for (const s of ['1', '-2', '+3.5', '.5', '5.', '1e3', '1E-3', ' 7 ']) {
      expect(parseCell(s)).toBe(Number(s));
    }
    for (const s of ['', '0x10', 'Infinity', 'NaN', '1,5', 'abc', '1e', '--1']) {
      expect(parseCell(s)).toBeNaN();
    }
  });
});
