/**
 * A protobuf wire-format reader written for the tests, independent of the exporter's writer:
 * it checks that an ONNX file is well-formed protobuf and lets tests look at its fields.
 */
export interface Field {
  field: number;
  wire: number;
  /** Varints as bigint (so int64 -1 reads back exactly), fixed32 as its raw 4 bytes, others as bytes. */
  value: bigint | Uint8Array;
}

export function decodeMessage(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) throw new Error('truncated varint');
      const b = bytes[at++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      if (shift > 63n) throw new Error('varint longer than 10 bytes');
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new Error('field number 0');
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 2 || wire === 5 || wire === 1) {
      const length = wire === 2 ? Number(varint()) : wire === 5 ? 4 : 8;
      if (at + length > bytes.length) throw new Error(`field ${field} runs past the end`);
      fields.push({ field, wire, value: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unexpected wire type ${wire} for field ${field}`);
  }
  return fields;
}

export function all(fields: Field[], field: number): Field[] {
  return fields.filter((f) => f.field === field);
}

export function one(fields: Field[], field: number): Field {
  const found = all(fields, field);
  if (found.length !== 1) throw new Error(`expected one field ${field}, found ${found.length}`);
  return found[0];
}

export function str(f: Field): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(f.value as Uint8Array);
}

export function msg(f: Field): Field[] {
  if (f.wire !== 2) throw new Error(`field ${f.field} is not length-delimited`);
  return decodeMessage(f.value as Uint8Array);
}

/** A varint read as a signed int64. */
export function int(f: Field): number {
  if (f.wire !== 0) throw new Error(`field ${f.field} is not a varint`);
  return Number(BigInt.asIntN(64, f.value as bigint));
}

export function float(f: Field): number {
  const b = f.value as Uint8Array;
  return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}
