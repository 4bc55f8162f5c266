import { describe, expect, it } from 'vitest';
import { Heap, kernelFloats, residentOffset, SLACK } from '../../../core/ops/kernels/resident';
import { CONTROL_BYTES } from '../../../core/ops/kernels/wasm-kernel';

/** A memory of `pages` 64 KiB pages that grows like a WebAssembly.Memory. */
function fakeMemory(pages = 1) {
  const m = {
    buffer: new ArrayBuffer(pages * 65536),
    grow(n: number) {
      const old = m.buffer.byteLength / 65536;
      m.buffer = new ArrayBuffer((old + n) * 65536);
      return old;
    },
  };
  return m;
}

describe('the kernels’ heap', () => {
  it('hands out 64-byte aligned blocks with readable slack after each, after the control words', () => {
    const h = new Heap(fakeMemory());
    const a = h.alloc(10);
    const b = h.alloc(100);
    expect(a.start).toBe(CONTROL_BYTES);
    expect(a.size).toBe(128); // 10 + 64 slack, rounded up to 64
    expect(b.start).toBe(a.start + a.size);
    expect(b.start % 64).toBe(0);
    expect(b.size).toBeGreaterThanOrEqual(100 + SLACK);
  });

  it('reuses freed blocks, merges neighbours and gives back the top', () => {
    const h = new Heap(fakeMemory());
    const [a, b, c] = [h.alloc(100), h.alloc(100), h.alloc(100)]; // 192 bytes each
    h.release(b);
    const e = h.alloc(50); // 128 bytes, first fit: in b's place
    expect(e.start).toBe(b.start);
    const d = h.alloc(10_000);
    h.release(a);
    h.release(c);
    expect(h.used).toBe(e.size + d.size);
    h.release(d); // on top: the top comes down past c and the rest of b (merged)
    expect(h.end).toBe(e.start + e.size);
    expect(h.alloc(100).start).toBe(a.start); // a's place fits exactly
    expect(h.alloc(300).start).toBe(h.end - 384); // nothing free fits: on top
  });

  it('grows the memory when it needs more, and refuses past its maximum', () => {
    const mem = fakeMemory(1);
    const h = new Heap(mem);
    h.alloc(200_000);
    expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(CONTROL_BYTES + 200_000 + SLACK);
    const full = {
      buffer: new ArrayBuffer(65536),
      grow: () => {
        throw new RangeError('maximum');
      },
    };
    expect(() => new Heap(full).alloc(70_000)).toThrow(RangeError);
  });
});

describe('kernelFloats', () => {
  it('gives zeroed arrays in the kernels’ memory that do not overlap', () => {
    const xs = [5, 64, 1000, 3].map((n) => kernelFloats(n));
    const spans = xs.map((x) => [residentOffset(x), residentOffset(x) + x.byteLength]);
    for (const [i, [s, e]] of spans.entries()) {
      expect(s).toBeGreaterThanOrEqual(CONTROL_BYTES);
      for (const [t, f] of spans.slice(i + 1)) expect(e <= t || f <= s).toBe(true);
    }
    for (const x of xs) expect(x.every((v) => v === 0)).toBe(true);
    expect(kernelFloats(0).length).toBe(0);
  });

  it('stay ordinary Float32Arrays that know their offset; their subarrays and copies are not resident', () => {
    const x = kernelFloats(8);
    x.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(x.constructor).toBe(Float32Array);
    expect(Object.keys(x)).toEqual(Object.keys(new Float32Array(8)));
    expect(x).toEqual(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(residentOffset(x)).toBe(x.byteOffset);
    expect(residentOffset(x.subarray(2))).toBe(-1);
    expect(residentOffset(x.slice())).toBe(-1);
    expect(residentOffset(new Float32Array(x))).toBe(-1);
    expect(residentOffset({})).toBe(-1);
  });
});
