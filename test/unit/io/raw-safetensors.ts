/**
 * Builds safetensors bytes by hand, for tests that need files the writer would never produce.
 */
export interface RawFileOptions {
  /** The u64 written in the first 8 bytes; defaults to the header's byte length. */
  headerLength?: number | bigint;
}

/** 8-byte little-endian length, then `header` (a string, or an object to JSON-encode), then `data`. */
export function rawSafetensors(
  header: string | object,
  data: Uint8Array | number = 0,
  options: RawFileOptions = {},
): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(text);
  const dataBytes = typeof data === 'number' ? new Uint8Array(data) : data;
  const bytes = new Uint8Array(8 + headerBytes.length + dataBytes.length);
  new DataView(bytes.buffer).setBigUint64(
    0,
    BigInt(options.headerLength ?? headerBytes.length),
    true,
  );
  bytes.set(headerBytes, 8);
  bytes.set(dataBytes, 8 + headerBytes.length);
  return bytes;
}

/** Raw header bytes (not necessarily UTF-8) with a correct length prefix. */
export function rawHeaderBytes(header: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + header.length);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 8);
  return bytes;
}

/** Little-endian bytes of 16-bit words (for F16 and BF16 data). */
export function u16Bytes(words: number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 2);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint16(i * 2, w, true));
  return bytes;
}

/** Little-endian bytes of float64 values. */
export function f64Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return bytes;
}

/** The bit patterns of float32 values, for exact comparisons (NaN and -0 included). */
export function bitsOf(data: Float32Array): number[] {
  return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
}

/** Calls `fn` and returns the error it throws; fails the test if it does not throw. */
export function thrownBy(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}
