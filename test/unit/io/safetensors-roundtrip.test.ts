import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors, type NamedTensors } from '../../../core/io';
import { Rng } from '../../../core/util/rng';
import { bitsOf, f64Bytes, rawSafetensors, u16Bytes } from './raw-safetensors';

function randomTensors(rng: Rng, count: number): NamedTensors {
  const tensors: NamedTensors = {
    scalar: { shape: [], data: new Float32Array([rng.normal()]) },
    empty: { shape: [0], data: new Float32Array(0) },
    'empty.inner': { shape: [3, 0, 2], data: new Float32Array(0) },
    special: {
      shape: [2, 3],
      data: new Float32Array([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]),
    },
  };
  for (let t = 0; t < count; t++) {
    const shape = Array.from({ length: 1 + rng.int(4) }, () => 1 + rng.int(5));
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng.normal());
    tensors[`layer${t}.${rng.int(2) ? 'weight' : 'bias'}`] = { shape, data };
  }
  return tensors;
}

function expectSameTensors(actual: NamedTensors, expected: NamedTensors): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, { shape, data }] of Object.entries(expected)) {
    expect(actual[name].shape, name).toEqual(shape);
    expect(actual[name].data).toBeInstanceOf(Float32Array);
    expect(bitsOf(actual[name].data), name).toEqual(bitsOf(data));
  }
}

describe('safetensors round trip', () => {
  it('reads back exactly what was written, for random shapes, scalars and empty tensors', () => {
    const rng = new Rng(7);
    for (let round = 0; round < 20; round++) {
      const tensors = randomTensors(rng, 1 + rng.int(6));
      const metadata = { format: 'test', round: String(round), text: 'δ ← Wᵀδ "quoted"\n' };
      const back = readSafetensors(writeSafetensors(tensors, metadata));
      expectSameTensors(back.tensors, tensors);
      expect(back.metadata).toEqual(metadata);
    }
  });

  it('reads a file that sits at an odd offset inside a larger buffer', () => {
    const tensors = randomTensors(new Rng(3), 3);
    const bytes = writeSafetensors(tensors, { a: 'b' });
    const backing = new Uint8Array(bytes.length + 5);
    backing.set(bytes, 3);
    const back = readSafetensors(backing.subarray(3, 3 + bytes.length));
    expectSameTensors(back.tensors, tensors);
  });

  it('returns the tensors in file order and copies the data out of the file', () => {
    const bytes = writeSafetensors(
      {
        b: { shape: [1], data: new Float32Array([2]) },
        a: { shape: [1], data: new Float32Array([1]) },
      },
      {},
    );
    const { tensors, metadata } = readSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['a', 'b']);
    expect(metadata).toEqual({});
    bytes.fill(0);
    expect(Array.from(tensors.a.data)).toEqual([1]);
  });

  it('handles names that look like integers or prototype keys', () => {
    const tensors: NamedTensors = Object.fromEntries(
      ['0', '12', 'constructor', '__proto__', 'toString'].map((name, i) => [
        name,
        { shape: [1], data: new Float32Array([i]) },
      ]),
    );
    const back = readSafetensors(writeSafetensors(tensors, {}));
    expectSameTensors(back.tensors, tensors);
    expect(Object.hasOwn(back.tensors, '__proto__')).toBe(true);
  });
});

describe('reading other dtypes', () => {
  it('reads F64, rounding to float32', () => {
    const values = [1 / 3, -1e300, 5e-324, Math.PI, -0];
    const bytes = rawSafetensors(
      { w: { dtype: 'F64', shape: [5], data_offsets: [0, 40] } },
      f64Bytes(values),
    );
    const { data } = readSafetensors(bytes).tensors.w;
    expect(bitsOf(data)).toEqual(bitsOf(new Float32Array(values)));
  });

  it('reads F16, including subnormals, infinities, NaN and -0', () => {
    const words = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x7c00, 0xfc00, 0x8000, 0x3555, 0x7e00];
    const bytes = rawSafetensors(
      { h: { dtype: 'F16', shape: [2, 5], data_offsets: [0, 20] } },
      u16Bytes(words),
    );
    const { shape, data } = readSafetensors(bytes).tensors.h;
    expect(shape).toEqual([2, 5]);
    expect(Array.from(data.subarray(0, 9))).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      1023 * 2 ** -24,
      Infinity,
      -Infinity,
      -0,
      0.333251953125,
    ]);
    expect(Object.is(data[7], -0)).toBe(true);
    expect(data[9]).toBeNaN();
  });

  it('reads BF16 as the upper half of a float32', () => {
    const words = [0x3f80, 0xc040, 0x4049, 0x7f80, 0x0001];
    const bytes = rawSafetensors(
      { b: { dtype: 'BF16', shape: [5], data_offsets: [0, 10] } },
      u16Bytes(words),
    );
    const { data } = readSafetensors(bytes).tensors.b;
    expect(bitsOf(data)).toEqual(words.map((w) => w * 65536));
    expect(Array.from(data.subarray(0, 4))).toEqual([1, -3, 3.140625, Infinity]);
  });

  it('reads a mix of dtypes at unaligned offsets, with the header in another order', () => {
    const data = new Uint8Array([...u16Bytes([0x3c00]), ...f64Bytes([2.5]), ...u16Bytes([0x4000])]);
    const bytes = rawSafetensors(
      {
        z: { dtype: 'BF16', shape: [], data_offsets: [10, 12] },
        __metadata__: { source: 'elsewhere' },
        a: { dtype: 'F64', shape: [1], data_offsets: [2, 10] },
        m: { dtype: 'F16', shape: [1, 1], data_offsets: [0, 2] },
      },
      data,
    );
    const { tensors, metadata } = readSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['m', 'a', 'z']);
    expect(Array.from(tensors.m.data)).toEqual([1]);
    expect(Array.from(tensors.a.data)).toEqual([2.5]);
    expect(Array.from(tensors.z.data)).toEqual([2]);
    expect(metadata).toEqual({ source: 'elsewhere' });
  });

  it('accepts a header without padding, with padding spaces, and with null metadata', () => {
    const entry = { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
    const four = new Uint8Array([0, 0, 0x80, 0x3f]);
    const unpadded = rawSafetensors({ x: entry }, four);
    const padded = rawSafetensors(JSON.stringify({ x: entry }) + '   ', four);
    const nullMeta = rawSafetensors({ __metadata__: null, x: entry }, four);
    for (const bytes of [unpadded, padded, nullMeta]) {
      expect(Array.from(readSafetensors(bytes).tensors.x.data)).toEqual([1]);
    }
  });
});
