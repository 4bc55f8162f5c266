/**
 * The safetensors element types Backprop Lab reads, and the conversions to float32.
 * Every multi-byte value in a safetensors file is little-endian, whatever the platform is.
 */
export type ReadableDtype = 'F32' | 'F64' | 'F16' | 'BF16';

export const DTYPE_BYTES: Record<ReadableDtype, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

/** Dtypes the safetensors format defines; named in messages so a file of another kind is clear. */
export const SAFETENSORS_DTYPES = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'F64',
  'I64',
  'U64',
];

export function isReadableDtype(dtype: string): dtype is ReadableDtype {
  return Object.hasOwn(DTYPE_BYTES, dtype);
}

/** True on little-endian hardware, where float32 bytes can be copied as they are. */
export const PLATFORM_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Converts `count` little-endian values of `dtype` in `bytes` to a new Float32Array. */
export function decodeToFloat32(
  dtype: ReadableDtype,
  bytes: Uint8Array,
  count: number,
): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32':
      if (PLATFORM_IS_LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
      else for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      // A bfloat16 is the upper half of a float32: shift its bits into place, keeping NaN payloads.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      break;
    }
  }
  return out;
}

/** Writes float32 values little-endian into `target`, which must hold `data.length * 4` bytes. */
export function encodeFloat32(data: Float32Array, target: Uint8Array): void {
  if (PLATFORM_IS_LITTLE_ENDIAN) {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
}

/** IEEE 754 half precision (binary16) bits to a number: subnormals, infinities and NaN included. */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
