import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../../core/io';
import { LabError } from '../../../core/util/errors';
import { rawHeaderBytes, rawSafetensors, thrownBy } from './raw-safetensors';

const f32 = (shape: number[], begin: number, end: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

/** Reads `bytes`, expects a SAFETENSORS LabError and returns it. */
function readError(bytes: Uint8Array): LabError {
  const error = thrownBy(() => readSafetensors(bytes));
  expect(error).toBeInstanceOf(LabError);
  expect(error.code).toBe('SAFETENSORS');
  return error;
}

describe('readSafetensors rejects malformed files', () => {
  it('a file shorter than 8 bytes', () => {
    expect(readError(new Uint8Array(0)).message).toMatch(/too short: 0 bytes.*at least 8/);
    expect(readError(new Uint8Array(7)).message).toMatch(/too short: 7 bytes/);
  });

  it('a header length beyond the end of the file', () => {
    const bytes = rawSafetensors('{}', 4, { headerLength: 100 });
    expect(readError(bytes).message).toMatch(/header length is 100 bytes.*only 6 bytes after/);
    const huge = rawSafetensors('{}', 0, { headerLength: 2n ** 40n });
    expect(readError(huge).message).toMatch(/header length is 1099511627776 bytes/);
  });

  it('a header that is not UTF-8, not JSON, or not an object', () => {
    expect(readError(rawHeaderBytes(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toMatch(
      /not valid UTF-8/,
    );
    expect(readError(rawSafetensors('{"a": ')).message).toMatch(/header is not valid JSON/);
    expect(readError(rawSafetensors('[1, 2]')).message).toMatch(
      /must be a JSON object.*"\[1, 2\]"/,
    );
    expect(readError(rawSafetensors('"text"')).message).toMatch(/must be a JSON object/);
    expect(readError(rawSafetensors('')).message).toMatch(/must be a JSON object.*empty header/);
    expect(readError(rawSafetensors(' {}')).message).toMatch(/starting with '\{'/);
  });

  it('a tensor named twice (JSON.parse would keep only the last)', () => {
    const entry = JSON.stringify(f32([1], 0, 4));
    const twice = readError(rawSafetensors(`{"w": ${entry}, "b": ${entry}, "w": ${entry}}`, 4));
    expect(twice.message).toBe('safetensors header names "w" twice');
    expect(twice.place.tensor).toBe('w');
    // the same name inside an entry or in the metadata is no duplicate; escapes are decoded
    const nested = `{"__metadata__": {"w": "x", "d\\"q": "y"}, "w": ${entry}}`;
    expect(readSafetensors(rawSafetensors(nested, 4)).tensors.w.shape).toEqual([1]);
    const escaped = `{"\\u0077": ${entry}, "w": ${entry}}`;
    expect(readError(rawSafetensors(escaped, 4)).message).toBe(
      'safetensors header names "w" twice',
    );
  });

  it('metadata that is not a map of strings', () => {
    expect(readError(rawSafetensors({ __metadata__: 'x' })).message).toMatch(
      /__metadata__ must be an object of strings, found the string "x"/,
    );
    expect(readError(rawSafetensors({ __metadata__: { epochs: 200 } })).message).toMatch(
      /__metadata__ value "epochs" must be a string, found number 200/,
    );
  });

  it('a tensor entry that is not an object or misses dtype, shape or data_offsets', () => {
    const notObject = readError(rawSafetensors({ w: 5 }));
    expect(notObject.message).toMatch(/tensor "w": entry must be an object.*found number 5/);
    expect(notObject.place.tensor).toBe('w');
    for (const key of ['dtype', 'shape', 'data_offsets'] as const) {
      const entry: Record<string, unknown> = f32([1], 0, 4);
      delete entry[key];
      const error = readError(rawSafetensors({ 'fc1.weight': entry }, 4));
      expect(error.message).toBe(`tensor "fc1.weight": entry has no "${key}"`);
      expect(error.place.tensor).toBe('fc1.weight');
    }
  });

  it('a dtype that is unsupported, unknown or not a string', () => {
    const i64 = rawSafetensors({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8);
    expect(readError(i64).message).toBe(
      'tensor "ids": dtype "I64" is not supported; Backprop Lab reads F32, F64, F16 and BF16',
    );
    const q4 = rawSafetensors({ q: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, 1);
    expect(readError(q4).message).toMatch(/tensor "q": unknown dtype "Q4" is not supported/);
    const num = rawSafetensors({ n: { dtype: 32, shape: [1], data_offsets: [0, 4] } }, 4);
    expect(readError(num).message).toMatch(/tensor "n": "dtype" must be a string/);
  });

  it('a shape that is not a list of non-negative integers', () => {
    for (const shape of [[-1], [1.5], '2', [null]]) {
      const bytes = rawSafetensors({ s: { dtype: 'F32', shape, data_offsets: [0, 4] } }, 4);
      expect(readError(bytes).message).toMatch(/tensor "s": "shape" must be an array of non-neg/);
    }
  });

  it('data_offsets that are malformed or out of bounds', () => {
    for (const offsets of [[8, 4], [0], ['0', 4], [0, 4, 8], [-4, 0], 'x']) {
      const bytes = rawSafetensors({ o: { dtype: 'F32', shape: [1], data_offsets: offsets } }, 8);
      expect(readError(bytes).message).toMatch(/tensor "o": "data_offsets" must be \[begin, end\]/);
    }
    const beyond = readError(rawSafetensors({ o: f32([4], 0, 16) }, 12));
    expect(beyond.message).toBe(
      'tensor "o": data_offsets [0, 16] run past the end of the data section (12 bytes)',
    );
    expect(beyond.place.tensor).toBe('o');
  });

  it('a byte range that does not fit the shape and dtype', () => {
    const error = readError(rawSafetensors({ 'fc1.bias': f32([2, 3], 0, 20) }, 20));
    expect(error.message).toBe(
      'tensor "fc1.bias": shape [2, 3] of F32 needs 24 bytes, but data_offsets [0, 20] cover 20',
    );
    const scalar = rawSafetensors({ s: f32([], 0, 8) }, 8);
    expect(readError(scalar).message).toMatch(/shape \[\] of F32 needs 4 bytes/);
  });

  it('overlapping tensors', () => {
    const error = readError(rawSafetensors({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12));
    expect(error.message).toBe('tensors "a" [0, 8] and "b" [4, 12] overlap');
    expect(error.place.tensor).toBe('b');
    const same = readError(rawSafetensors({ a: f32([2], 0, 8), b: f32([2], 0, 8) }, 8));
    expect(same.message).toMatch(/overlap/);
  });

  it('gaps between tensors or before the first one', () => {
    const between = readError(rawSafetensors({ a: f32([2], 0, 8), b: f32([2], 12, 20) }, 20));
    expect(between.message).toBe(
      '4 bytes belong to no tensor after tensor "a" (ends at 8), before tensor "b" (starts at 12)',
    );
    const start = readError(rawSafetensors({ a: f32([2], 4, 12) }, 12));
    expect(start.message).toMatch(/4 bytes belong to no tensor at the start of the data section/);
    expect(start.place.tensor).toBe('a');
  });

  it('a data section longer than the tensors', () => {
    const trailing = readError(rawSafetensors({ a: f32([2], 0, 8) }, 12));
    expect(trailing.message).toBe(
      'safetensors data section has 12 bytes, but the tensors cover only 8: ' +
        '4 bytes belong to no tensor, after tensor "a"',
    );
    const none = readError(rawSafetensors({}, 4));
    expect(none.message).toMatch(/has 4 bytes.*\(the file has no tensors\)/);
  });

  it('a truncated copy of a good file', () => {
    const good = writeSafetensors({ w: { shape: [4], data: new Float32Array(4) } }, {});
    expect(readError(good.subarray(0, good.length - 1)).message).toMatch(
      /tensor "w": data_offsets \[0, 16\] run past the end of the data section \(15 bytes\)/,
    );
  });
});

describe('writeSafetensors rejects what it cannot write', () => {
  it('data whose length does not match the shape', () => {
    const error = thrownBy(() =>
      writeSafetensors({ 'fc1.weight': { shape: [8, 2], data: new Float32Array(15) } }, {}),
    );
    expect(error).toBeInstanceOf(LabError);
    expect(error.code).toBe('WEIGHTS');
    expect(error.message).toBe('tensor "fc1.weight": shape [8, 2] holds 16 values, data has 15');
  });

  it('a bad shape, data that is not float32, a reserved name, or non-string metadata', () => {
    const bad = (tensors: any, metadata: any = {}) =>
      thrownBy(() => writeSafetensors(tensors, metadata)) as LabError;
    expect(bad({ s: { shape: [-1], data: new Float32Array(0) } }).message).toMatch(
      /tensor "s": shape \[-1\] is not a list of sizes/,
    );
    expect(bad({ d: { shape: [1], data: [1] } }).message).toMatch(/must be a Float32Array/);
    expect(bad({ __metadata__: { shape: [], data: new Float32Array(1) } }).code).toBe(
      'SAFETENSORS',
    );
    expect(bad({}, { epochs: 3 }).message).toBe('metadata "epochs" must be a string, found number');
  });
});
