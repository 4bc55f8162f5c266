import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../core/io';

describe('writeSafetensors byte layout', () => {
  // Hand-checked: the header below is 190 bytes of UTF-8 ("Δ" takes two bytes, one character);
  // 8 + 190 = 198, so two spaces pad it to N = 192 and the data starts at byte 200.
  const header =
    '{"__metadata__":{"k":"Δ"},' +
    '"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},' +
    '"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},' +
    '"e":{"dtype":"F32","shape":[0,3],"data_offsets":[12,12]}}';
  const bytes = writeSafetensors(
    {
      e: { shape: [0, 3], data: new Float32Array(0) },
      b: { shape: [2], data: new Float32Array([1, -2]) },
      a: { shape: [], data: new Float32Array([0.5]) },
    },
    { k: 'Δ' },
  );

  it('starts with the padded header length as a little-endian u64', () => {
    expect(Array.from(bytes.subarray(0, 8))).toEqual([192, 0, 0, 0, 0, 0, 0, 0]);
    expect((8 + 192) % 8).toBe(0);
  });

  it('writes the header JSON (tensors sorted by name, contiguous offsets) padded with spaces', () => {
    const headerBytes = bytes.subarray(8, 200);
    expect(new TextEncoder().encode(header).length).toBe(190);
    expect(new TextDecoder().decode(headerBytes.subarray(0, 190))).toBe(header);
    expect(Array.from(headerBytes.subarray(190))).toEqual([0x20, 0x20]);
  });

  it('writes float32 data little-endian in name order after the header', () => {
    expect(bytes.length).toBe(212);
    const half = [0x00, 0x00, 0x00, 0x3f]; // a = 0.5
    const one = [0x00, 0x00, 0x80, 0x3f]; // b[0] = 1
    const minusTwo = [0x00, 0x00, 0x00, 0xc0]; // b[1] = -2
    expect(Array.from(bytes.subarray(200))).toEqual([...half, ...one, ...minusTwo]);
  });

  it('leaves out __metadata__ when there is none and pads "{}" to 8 bytes', () => {
    const empty = writeSafetensors({}, {});
    expect(Array.from(empty)).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
  });

  it('needs no padding when 8 + N is already a multiple of 8', () => {
    // {"xyz":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} is 56 bytes.
    const one = writeSafetensors({ xyz: { shape: [1], data: new Float32Array([2]) } }, {});
    expect(new DataView(one.buffer).getUint32(0, true)).toBe(56);
    expect(new TextDecoder().decode(one.subarray(8, 64))).toBe(
      '{"xyz":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    );
    expect(one.length).toBe(68);
  });

  it('gives the same bytes whatever order the tensors were inserted in', () => {
    const t1 = { shape: [2], data: new Float32Array([1, 2]) };
    const t2 = { shape: [1], data: new Float32Array([3]) };
    const ab = writeSafetensors({ 'fc1.weight': t1, 'fc1.bias': t2, '10': t2, '9': t1 }, {});
    const ba = writeSafetensors({ '9': t1, 'fc1.bias': t2, '10': t2, 'fc1.weight': t1 }, {});
    expect(Array.from(ab)).toEqual(Array.from(ba));
    // Names are sorted as strings ("10" < "9"), not as JavaScript orders integer-like keys.
    const text = new TextDecoder().decode(ab);
    expect(text.indexOf('"10"')).toBeLessThan(text.indexOf('"9"'));
    expect(text.indexOf('"9"')).toBeLessThan(text.indexOf('"fc1.bias"'));
  });

  it('writes from a Float32Array view into a larger buffer', () => {
    const backing = new Float32Array([9, 1, 2, 9]);
    const view = backing.subarray(1, 3);
    const out = writeSafetensors({ v: { shape: [2], data: view } }, {});
    const data = out.subarray(out.length - 8);
    expect(Array.from(data)).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });
});
