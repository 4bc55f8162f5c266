import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../../../core/layers/contract';
import {
  formatParam,
  idError,
  parseParam,
  sortIssues,
  stepOf,
} from '../../../../renderer/inspector/param-fields';

describe('parameter fields', () => {
  it('read shapes as "2" or "8,8"', () => {
    const spec: ParamSpec = { type: 'shape', default: [2] };
    expect(formatParam(spec, [8, 8])).toBe('8,8');
    expect(formatParam(spec, undefined)).toBe('2');
    expect(parseParam(spec, '2')).toEqual({ ok: true, value: [2] });
    expect(parseParam(spec, ' 8, 8 ')).toEqual({ ok: true, value: [8, 8] });
    expect(parseParam(spec, '8x8')).toEqual({ ok: true, value: [8, 8] });
    for (const bad of ['', '0', '2,', 'a', '1.5'])
      expect(parseParam(spec, bad)).toEqual({
        ok: false,
        error: 'Enter positive whole numbers separated by commas, like 2 or 8,8',
      });
  });

  it('check numbers against the schema', () => {
    const p: ParamSpec = { type: 'number', default: 0.5, min: 0, max: 0.99 };
    expect(parseParam(p, '0.2')).toEqual({ ok: true, value: 0.2 });
    expect(parseParam(p, '1')).toEqual({ ok: false, error: 'Enter a number between 0 and 0.99' });
    expect(parseParam(p, 'abc')).toEqual({ ok: false, error: 'Enter a number' });
    expect(stepOf(p)).toBe('0.01');
    expect(stepOf({ type: 'number', default: 0.01, min: 0 })).toBe('any');
    const i: ParamSpec = { type: 'int', default: 8, min: 1 };
    expect(parseParam(i, '3')).toEqual({ ok: true, value: 3 });
    expect(parseParam(i, '3.5')).toEqual({ ok: false, error: 'Enter a whole number' });
  });

  it('take enum values from the list and booleans as they are', () => {
    const e: ParamSpec = { type: 'enum', values: ['a', 'b'], default: 'a' };
    expect(parseParam(e, 'b')).toEqual({ ok: true, value: 'b' });
    expect(parseParam(e, 'c')).toEqual({ ok: false, error: 'Choose one of a, b' });
    expect(parseParam({ type: 'boolean', default: true }, false)).toEqual({
      ok: true,
      value: false,
    });
  });

  it('check node ids: allowed characters and unique', () => {
    expect(idError('fc1', 'fc1', ['fc1'])).toBeNull();
    expect(idError('fc1', 'hidden_1', ['x'])).toBeNull();
    expect(idError('fc1', '', [])).toBe('A node needs an id');
    expect(idError('fc1', '1abc', [])).toMatch(/starting with a letter/);
    expect(idError('fc1', 'a b', [])).toMatch(/no spaces/);
    expect(idError('fc1', 'x', ['x'])).toBe("'x' is already the id of another node");
  });

  it('sort a node’s problems by the field they belong to', () => {
    expect(
      sortIssues(
        {
          'params.units': ['u'],
          'params.gone': ['g'],
          'inputs[1]': ['i'],
          inputs: ['j'],
          frozen: ['f'],
          '': ['n'],
          type: ['t'],
        },
        ['units'],
      ),
    ).toEqual({
      params: { units: ['u'] },
      inputs: ['i', 'j'],
      flags: { frozen: ['f'], detach: [], memory: [] },
      node: ['g', 'n', 't'],
    });
  });
});
