/**
 * A minimal protocol buffer reader: the fields of one message, with what a field holds decoded
 * on demand. Enough for ONNX files; malformed input is a LabError naming what went wrong.
 *
 * Wire format: https://protobuf.dev/programming-guides/encoding/
 */
import { LabError } from '../util/errors';

export interface ProtoField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** A varint as a bigint, else the field's bytes. */
  value: bigint | Uint8Array;
}

/** Every field of a message, in the order written. */
export function readFields(bytes: Uint8Array, what: string): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const broken = (why: string): never => {
    throw new LabError('USAGE', `${what} is not valid protobuf: ${why} at byte ${at}`);
  };
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) broken('a number runs past the end');
      if (shift > 63n) broken('a number is longer than ten bytes');
      const b = bytes[at++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) broken('field number 0');
    if (wire === 0) {
      fields.push({ field, wire, value: varint() });
      continue;
    }
    let length: number;
    if (wire === 2) length = Number(varint());
    else if (wire === 5) length = 4;
    else if (wire === 1) length = 8;
    else return broken(`wire type ${wire}`);
    if (at + length > bytes.length) broken(`field ${field} runs past the end`);
    fields.push({ field, wire, value: bytes.subarray(at, at + length) });
    at += length;
  }
  return fields;
}

/** A varint field as a signed 64-bit integer (exact up to 2⁵³). */
export function int(f: ProtoField): number {
  if (typeof f.value === 'bigint') return Number(BigInt.asIntN(64, f.value));
  throw new LabError('USAGE', `protobuf field ${f.field} should be a number`);
}

export function bytesOf(f: ProtoField): Uint8Array {
  if (f.value instanceof Uint8Array) return f.value;
  throw new LabError('USAGE', `protobuf field ${f.field} should be bytes`);
}

export function text(f: ProtoField): string {
  return new TextDecoder().decode(bytesOf(f));
}

/** A fixed32 field as a float. */
export function float32(f: ProtoField): number {
  const b = bytesOf(f);
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

/** Repeated varints, packed (one length-delimited field) or not (one field each). */
export function ints(fields: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === 0) out.push(int(f));
    else for (const g of readPackedVarints(bytesOf(f))) out.push(g);
  }
  return out;
}

/** Repeated floats, packed or not. */
export function floats(fields: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    const b = bytesOf(f);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i + 4 <= b.byteLength; i += 4) out.push(view.getFloat32(i, true));
  }
  return out;
}

/** Repeated doubles, packed or not. */
export function doubles(fields: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    const b = bytesOf(f);
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i + 8 <= b.byteLength; i += 8) out.push(view.getFloat64(i, true));
  }
  return out;
}

function readPackedVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) throw new LabError('USAGE', 'a packed number runs past the end');
      const b = bytes[at++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    out.push(Number(BigInt.asIntN(64, result)));
  }
  return out;
}

export function first(fields: ProtoField[], field: number): ProtoField | undefined {
  return fields.find((f) => f.field === field);
}

export function all(fields: ProtoField[], field: number): ProtoField[] {
  return fields.filter((f) => f.field === field);
}
