import { describe, expect, it } from 'vitest';
import { readWeightsJson, writeWeightsJson, type NamedTensors } from '../../../core/io';
import { LabError } from '../../../core/util/errors';
import { Rng } from '../../../core/util/rng';
import { bitsOf, thrownBy } from './raw-safetensors';

const project = { format: 'backprop-lab.project', version: 1, name: 'XOR', nodes: [] };

function readError(text: string): LabError {
  const error = thrownBy(() => readWeightsJson(text));
  expect(error).toBeInstanceOf(LabError);
  expect(error.code).toBe('WEIGHTS');
  return error;
}

const file = (tensors: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'backprop-lab.weights-json', version: 1, tensors, ...extra });

describe('JSON weights round trip', () => {
  it('reads back the same float32 bits, for random values, scalars and empty tensors', () => {
    const rng = new Rng(11);
    const tensors: NamedTensors = {
      'fc1.weight': { shape: [8, 2], data: new Float32Array(16).map(() => rng.normal()) },
      'fc1.bias': { shape: [8], data: new Float32Array(8).map(() => rng.range(-1e-3, 1e-3)) },
      'w1.a': { shape: [], data: new Float32Array([rng.normal() * 1e30]) },
      empty: { shape: [0, 4], data: new Float32Array(0) },
      edges: {
        shape: [6],
        data: new Float32Array([-0, 1e-45, 1.17549435e-38, 3.4028234663852886e38, 0.1, -1 / 3]),
      },
    };
    const back = readWeightsJson(writeWeightsJson(tensors, project));
    expect(back.project).toEqual(project);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, { shape, data }] of Object.entries(tensors)) {
      expect(back.tensors[name].shape).toEqual(shape);
      expect(bitsOf(back.tensors[name].data), name).toEqual(bitsOf(data));
    }
  });

  it('is readable: one tensor per line, shortest float32 text, sorted names', () => {
    const text = writeWeightsJson(
      {
        'fc1.weight': { shape: [2, 2], data: new Float32Array([0.1, -0.25, 1, -0]) },
        'fc1.bias': { shape: [2], data: new Float32Array([0, 3e-8]) },
      },
      { name: 'XOR' },
    );
    expect(text).toBe(
      [
        '{',
        '  "format": "backprop-lab.weights-json",',
        '  "version": 1,',
        '  "project": {',
        '    "name": "XOR"',
        '  },',
        '  "tensors": {',
        '    "fc1.bias": { "shape": [2], "data": [0, 3e-8] },',
        '    "fc1.weight": { "shape": [2, 2], "data": [0.1, -0.25, 1, -0] }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('writes no project when there is none, and an empty tensor map', () => {
    const text = writeWeightsJson({}, undefined);
    expect(JSON.parse(text)).toEqual({
      format: 'backprop-lab.weights-json',
      version: 1,
      tensors: {},
    });
    expect(readWeightsJson(text)).toEqual({ tensors: {} });
  });

  it('refuses to write values JSON cannot hold', () => {
    const error = thrownBy(() =>
      writeWeightsJson({ w: { shape: [2], data: new Float32Array([1, NaN]) } }, undefined),
    );
    expect(error.code).toBe('NON_FINITE');
    expect(error.message).toMatch(/tensor "w": value 1 is NaN.*\.safetensors/);
    const mismatch = thrownBy(() =>
      writeWeightsJson({ w: { shape: [3], data: new Float32Array(2) } }, undefined),
    );
    expect(mismatch.code).toBe('WEIGHTS');
  });
});

describe('readWeightsJson rejects malformed files', () => {
  it('text that is not JSON, or not a JSON weights object', () => {
    expect(readError('{"format": ').message).toMatch(/not valid JSON/);
    expect(readError('[1]').message).toBe('weights JSON must be an object, found an array');
    expect(readError(JSON.stringify(project)).message).toBe(
      'weights JSON must have "format": "backprop-lab.weights-json", ' +
        'found the string "backprop-lab.project"',
    );
    const newer = JSON.stringify({ format: 'backprop-lab.weights-json', version: 2, tensors: {} });
    expect(readError(newer).message).toMatch(/version number 2 is not supported/);
    const noTensors = JSON.stringify({ format: 'backprop-lab.weights-json', version: 1 });
    expect(readError(noTensors).message).toBe(
      'weights JSON "tensors" must be an object, found nothing',
    );
  });

  it('data whose length does not match the shape, naming the tensor', () => {
    const error = readError(file({ 'fc1.weight': { shape: [8, 2], data: new Array(15).fill(0) } }));
    expect(error.message).toBe('tensor "fc1.weight": shape [8, 2] needs 16 values, data has 15');
  });

  it('values that are not numbers or do not fit a float32', () => {
    const error = readError(file({ w: { shape: [4], data: [1, 'two', null, 3] } }));
    expect(error.message).toBe(
      'tensor "w": data[1] is the string "two", not a number (2 values in all are not numbers)',
    );
    expect(readError(file({ big: { shape: [1], data: [1e39] } })).message).toBe(
      'tensor "big": data[0] = 1e+39 is too large for a 32-bit float',
    );
  });

  it('entries, shapes and data of the wrong kind', () => {
    expect(readError(file({ w: [1, 2] })).message).toMatch(/tensor "w": must be an object/);
    expect(readError(file({ w: { shape: [-2], data: [] } })).message).toMatch(
      /tensor "w": "shape" must be an array of non-negative integers, found \[-2\]/,
    );
    expect(readError(file({ w: { shape: [1] } })).message).toBe(
      'tensor "w": "data" must be an array of numbers, found nothing',
    );
  });

  it('lists the problems of every tensor at once', () => {
    const error = readError(
      file({
        a: { shape: [2], data: [1] },
        ok: { shape: [1], data: [1] },
        b: { shape: [1], data: ['x'] },
        c: { data: [1] },
      }),
    );
    expect(error.problems).toEqual([
      'tensor "a": shape [2] needs 2 values, data has 1',
      'tensor "b": data[0] is the string "x", not a number',
      'tensor "c": "shape" must be an array of non-negative integers, found nothing',
    ]);
    expect(error.message).toBe(
      'weights JSON has 3 problems; the first: tensor "a": shape [2] needs 2 values, data has 1',
    );
  });
});
