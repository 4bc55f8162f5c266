import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../core/data/csv';
import { LabError } from '../../../core/util/errors';

/** Runs parseCsv and returns the LabError it throws. */
function csvError(text: string, targets: string[], file?: string): LabError {
  try {
    parseCsv(text, { targets, file });
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).code).toBe('CSV');
    return e as LabError;
  }
  throw new Error('parseCsv did not throw');
}

describe('parseCsv errors', () => {
  it('an empty file', () => {
    const e = csvError('\n  \n', ['y'], 'data.csv');
    expect(e.message).toBe(
      'data.csv:1:1: the file is empty (a header row naming the columns is required)',
    );
    expect(e.place).toEqual({ file: 'data.csv', line: 1, column: 1 });
  });

  it('a missing header', () => {
    const e = csvError('1,2,0\n3,4,1\n', ['y'], 'data.csv');
    expect(e.message).toBe(
      'data.csv:1:1: missing header: the first row holds numbers, but it must name the columns ' +
        '(for example: x1,x2,label)',
    );
    expect(e.place).toMatchObject({ line: 1, column: 1 });
  });

  it('a target that is not in the header lists the header', () => {
    const e = csvError('a,b,c\n1,2,3\n', ['label'], 'data.csv');
    expect(e.message).toBe(
      "data.csv:1:1: target column 'label' is not in the header; the columns are: a, b, c",
    );
  });

  it('duplicate column names', () => {
    const e = csvError('x,y,x\n1,2,3\n', ['y'], 'data.csv');
    expect(e.message).toBe("data.csv:1:3: duplicate column name 'x' (also column 1)");
    expect(e.place).toMatchObject({ line: 1, column: 3 });
  });

  it('a header column without a name', () => {
    const e = csvError('x,,y\n1,2,3\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:1:2: column 2 of the header has no name');
  });

  it('a row with too few fields', () => {
    const e = csvError('x1,x2,y\n1,2,0\n3,4\n', ['y'], 'data.csv');
    expect(e.message).toBe("data.csv:3:3: expected 3 fields, got 2 (column 'y')");
    expect(e.place).toEqual({ file: 'data.csv', line: 3, column: 3 });
  });

  it('a row with too many fields', () => {
    const e = csvError('x1,x2,y\n1,2,0,9\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:2:4: expected 3 fields, got 4');
    expect(e.place).toMatchObject({ line: 2, column: 4 });
  });

  it('a non-numeric feature cell, quoted in the message', () => {
    const e = csvError('x1,x2,y\n1,2,0\n3,four,1\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:3:2: "four" is not a number (column \'x2\')');
    expect(e.place).toMatchObject({ line: 3, column: 2 });
  });

  it('an empty feature cell', () => {
    const e = csvError('x1,x2,y\n1,,0\n', ['y'], 'data.csv');
    expect(e.message).toBe("data.csv:2:2: empty cell (column 'x2')");
    expect(e.place).toMatchObject({ line: 2, column: 2 });
  });

  it('an empty target cell', () => {
    const e = csvError('x1,y\n1,a\n2, \n', ['y'], 'data.csv');
    expect(e.message).toBe("data.csv:3:2: empty cell (column 'y')");
  });

  it('no data rows', () => {
    const e = csvError('x1,x2,y\r\n\r\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:2:1: no data rows after the header');
    expect(e.place).toMatchObject({ line: 2, column: 1 });
  });

  it('a quoted field that is never closed', () => {
    const e = csvError('x,y\n1,0\n"2,1\n3,0\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:3:1: quoted field is never closed (a " is missing)');
  });

  it('a quote inside an unquoted field', () => {
    const e = csvError('x,y\n1,a"b\n', ['y'], 'data.csv');
    expect(e.message).toBe(
      'data.csv:2:2: a quote inside an unquoted field (quote the whole field and double inner quotes)',
    );
  });

  it('text after a closing quote', () => {
    const e = csvError('x,y\n1,"a"b\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:2:2: unexpected "b" after a closing quote');
  });

  it('string labels in a file with two targets', () => {
    const e = csvError('x,y1,y2\n1,0,cat\n', ['y1', 'y2'], 'data.csv');
    expect(e.message).toBe(
      'data.csv:2:3: "cat" is not a number; class labels need a single target column ' +
        "(this file has 2) (column 'y2')",
    );
  });

  it('every column a target', () => {
    const e = csvError('y\n1\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:1:1: every column is a target: no feature columns are left');
  });

  it('a number too large for float32', () => {
    const e = csvError('x,y\n1e39,0\n', ['y'], 'data.csv');
    expect(e.message).toBe('data.csv:2:1: "1e39" is too large for a 32-bit float (column \'x\')');
  });

  it('counts file lines across blank lines, CRLF and quoted line breaks', () => {
    const text = 'note,x,y\r\n\r\n"one\r\ntwo",1,0\r\n\r\nok,oops,1\r\n';
    const e = csvError(text, ['note'], 'data.csv');
    expect(e.message).toBe('data.csv:6:2: "oops" is not a number (column \'x\')');
    expect(e.place).toMatchObject({ line: 6, column: 2 });
  });

  it('without a file name, says line and column with the column name', () => {
    const e = csvError('x1,x2,y\n1,2,0\n3,four,1\n', ['y']);
    expect(e.message).toBe('line 3, column 2 (\'x2\'): "four" is not a number');
    expect(e.place).toEqual({ line: 3, column: 2 });
    const e2 = csvError('a,b\n1,2\n', ['c']);
    expect(e2.message).toBe(
      "line 1, column 1: target column 'c' is not in the header; the columns are: a, b",
    );
  });

  it('cuts a long cell short in the message', () => {
    const e = csvError(`x,y\n${'z'.repeat(100)},0\n`, ['y']);
    expect(e.message).toBe(`line 2, column 1 ('x'): "${'z'.repeat(37)}..." is not a number`);
  });

  it('lists every problem of the file, in file order, with line and column', () => {
    const text = 'x1,x2,y\n1,2,0\n3,four,1\n5\n6,7,8,9\n,8,1\n1e39,2,0\n';
    const e = csvError(text, ['y'], 'data.csv');
    expect(e.message).toBe(
      'data.csv:3:2: "four" is not a number (column \'x2\') (and 4 more problems)',
    );
    expect(e.place).toEqual({ file: 'data.csv', line: 3, column: 2 });
    expect(e.problems).toEqual([
      'data.csv:3:2: "four" is not a number (column \'x2\')',
      "data.csv:4:2: expected 3 fields, got 1 (column 'x2')",
      'data.csv:5:4: expected 3 fields, got 4',
      "data.csv:6:1: empty cell (column 'x1')",
      'data.csv:7:1: "1e39" is too large for a 32-bit float (column \'x1\')',
    ]);
  });

  it('lists the first 20 problems and counts the rest', () => {
    const rows = Array.from({ length: 57 }, (_, i) => `${i},n/a,${i % 2}`);
    const e = csvError(['a,b,y', ...rows].join('\n'), ['y'], 'big.csv');
    expect(e.message).toBe(
      'big.csv:2:2: "n/a" is not a number (column \'b\') (and 56 more problems)',
    );
    expect(e.problems).toHaveLength(21);
    expect(e.problems[19]).toBe('big.csv:21:2: "n/a" is not a number (column \'b\')');
    expect(e.problems[20]).toBe('… and 37 more (57 problems in all)');
  });
});
