/**
 * A minimal protocol buffer writer: exactly what an ONNX file needs and nothing more. Fields
 * are written in the order they are added; repeated scalars are written unpacked, one tag per
 * value, as a proto2 serializer does (every parser accepts both forms).
 *
 * Wire format: https://protobuf.dev/programming-guides/encoding/
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** An int32, int64, uint64, bool or enum field (negative numbers as 64-bit two's complement). */
  varint(field: number, value: number): this {
    this.tag(field, VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A float field: IEEE 754 single precision, little-endian. */
  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.pending.push(...bytes);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.flush();
    this.chunks.push(value);
    this.size += value.length;
    return this;
  }

  /** An embedded message, written by `fill` into a writer of its own. */
  message(field: number, fill: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    fill(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`protobuf varint must be a safe integer, got ${value}`);
    }
    // 64-bit two's complement for negatives: always ten bytes, as protobuf writes an int64.
    let v = value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value);
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.pending.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.size += this.pending.length;
    this.pending = [];
  }
}
