// The safetensors files the export API writes, checked against the format's rules by a reader
// written here from the spec (https://github.com/huggingface/safetensors#format): an 8-byte
// little-endian header length N, N bytes of JSON padded with spaces so the data starts at a
// multiple of 8, tensors tiling the data section in order, `__metadata__` a map of strings.
import { describe, expect, it } from 'vitest';
import { exportModel } from '../../../core/export';
import {
  parseWeightsMetadata,
  readSafetensors,
  readWeightsJson,
  WEIGHTS_FORMAT,
  writeSafetensors,
  type NamedTensors,
} from '../../../core/io';
import { LabError } from '../../../core/util/errors';
import { rawSafetensors } from '../io/raw-safetensors';
import { allNets, WACKY_MAPPED, wackyNet, type Net } from './networks';

interface SpecFile {
  headerLength: number;
  headerText: string;
  padding: Uint8Array;
  header: Record<string, any>;
  data: Uint8Array;
}

/** Splits a file the way the spec describes it, asserting each rule on the way. */
function splitBySpec(bytes: Uint8Array): SpecFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  expect(headerLength).toBeGreaterThan(0);
  expect((8 + headerLength) % 8).toBe(0);
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  expect(text[0]).toBe('{');
  const end = text.lastIndexOf('}') + 1;
  const jsonBytes = new TextEncoder().encode(text.slice(0, end)).length;
  const padding = headerBytes.subarray(jsonBytes);
  expect(padding.length).toBeLessThan(8);
  expect(padding.every((b) => b === 0x20)).toBe(true);
  return {
    headerLength,
    headerText: text.slice(0, end),
    padding,
    header: JSON.parse(text.slice(0, end)),
    data: bytes.subarray(8 + headerLength),
  };
}

function littleEndianBytes(data: Float32Array): number[] {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Array.from(out);
}

const nets: Net[] = [...allNets(), wackyNet(WACKY_MAPPED)];

describe('safetensors written by the export API, against the spec', () => {
  for (const net of nets) {
    it(`${net.name}: padded header, sorted contiguous F32 tensors, exact bytes, metadata`, () => {
      const file = splitBySpec(
        exportModel('safetensors', { graph: net.graph, weights: net.weights }),
      );
      const { __metadata__: metadata, ...entries } = file.header;

      expect(Object.keys(file.header)[0]).toBe('__metadata__');
      expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
      expect(metadata.format).toBe(WEIGHTS_FORMAT);
      expect(metadata.version).toBe('1');
      expect(JSON.parse(metadata.project)).toEqual(net.graph.project);

      const names = Object.keys(net.weights).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(Object.keys(entries)).toEqual(names);
      let offset = 0;
      for (const name of names) {
        const { shape, data } = net.weights[name];
        expect(Object.keys(entries[name])).toEqual(['dtype', 'shape', 'data_offsets']);
        expect(entries[name]).toEqual({
          dtype: 'F32',
          shape,
          data_offsets: [offset, offset + 4 * data.length],
        });
        expect(Array.from(file.data.subarray(offset, offset + 4 * data.length)), name).toEqual(
          littleEndianBytes(data),
        );
        offset += 4 * data.length;
      }
      expect(offset).toBe(file.data.length);
    });
  }

  it('round-trips weights bit for bit, and the project through the metadata', () => {
    for (const net of nets) {
      const bytes = exportModel('safetensors', { graph: net.graph, weights: net.weights });
      const back = readSafetensors(bytes);
      expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(net.weights).sort());
      for (const [name, w] of Object.entries(net.weights)) {
        expect(back.tensors[name].shape).toEqual(w.shape);
        expect(new Uint32Array(back.tensors[name].data.buffer)).toEqual(
          new Uint32Array(w.data.buffer),
        );
      }
      expect(parseWeightsMetadata(back.metadata).project).toEqual(net.graph.project);
      // And the JSON export holds the same numbers.
      const json = readWeightsJson(exportModel('json', { graph: net.graph, weights: net.weights }));
      for (const [name, w] of Object.entries(net.weights))
        expect(json.tensors[name].data).toEqual(w.data);
      expect(json.project).toEqual(net.graph.project);
    }
  });

  it('pads every header length residue with spaces to a multiple of 8', () => {
    const seen = new Set<number>();
    for (let n = 1; n <= 16; n++) {
      const tensors: NamedTensors = {
        ['w'.repeat(n)]: { shape: [2], data: new Float32Array([1, -1]) },
      };
      const bytes = writeSafetensors(tensors, { format: 'x' });
      const file = splitBySpec(bytes);
      seen.add(file.padding.length);
      expect(8 + file.headerLength + 8).toBe(bytes.length);
      expect(readSafetensors(bytes).tensors['w'.repeat(n)].data).toEqual(new Float32Array([1, -1]));
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps offsets contiguous through scalars and empty tensors', () => {
    const tensors: NamedTensors = {
      a: { shape: [], data: new Float32Array([3]) },
      b: { shape: [0, 4], data: new Float32Array(0) },
      c: { shape: [2, 1], data: new Float32Array([1, 2]) },
    };
    const { header, data } = splitBySpec(writeSafetensors(tensors));
    expect(header).toEqual({
      a: { dtype: 'F32', shape: [], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [0, 4], data_offsets: [4, 4] },
      c: { dtype: 'F32', shape: [2, 1], data_offsets: [4, 12] },
    });
    expect(data.length).toBe(12);
  });

  it('writes metadata only as a map of strings, and none when there is none', () => {
    expect(splitBySpec(writeSafetensors({}, {})).headerText).toBe('{}');
    const bad = () => writeSafetensors({}, { epochs: 5 as unknown as string });
    expect(bad).toThrow(LabError);
    expect(bad).toThrow('metadata "epochs" must be a string, found number');
  });

  it('reads files that break the layout only with an error naming the tensor', () => {
    const entry = (begin: number, end: number) => ({
      dtype: 'F32',
      shape: [1],
      data_offsets: [begin, end],
    });
    const cases: [Uint8Array, RegExp][] = [
      [
        rawSafetensors({ a: entry(0, 4), b: entry(8, 12) }, 12),
        /4 bytes belong to no tensor after tensor "a"/,
      ],
      [
        rawSafetensors({ a: entry(0, 4), b: entry(2, 6) }, 6),
        /tensors "a" \[0, 4\] and "b" \[2, 6\] overlap/,
      ],
      [rawSafetensors({ a: entry(0, 4) }, 8), /4 bytes belong to no tensor, after tensor "a"/],
      [
        rawSafetensors({ __metadata__: { n: 1 }, a: entry(0, 4) }, 4),
        /__metadata__ value "n" must be a string/,
      ],
      [rawSafetensors(' {"a":1}', 0), /must be a JSON object starting with '\{'/],
      [
        rawSafetensors({ a: entry(0, 4) }, 4, { headerLength: 4096 }),
        /header length is 4096 bytes/,
      ],
    ];
    for (const [bytes, message] of cases) expect(() => readSafetensors(bytes)).toThrow(message);
  });
});
