/**
 * Base64 (RFC 4648, with padding) of raw bytes, and float32 arrays as base64 of their
 * little-endian bytes: how a trained project carries its weights in JSON, bit for bit (NaN
 * payloads, −0 and subnormals included), at 4/3 of the binary size. Written here because core
 * uses no host globals (btoa and Buffer are not everywhere).
 */
import { decodeToFloat32, encodeFloat32 } from './safetensors-dtypes';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i],
      b = i + 1 < bytes.length ? bytes[i + 1] : 0,
      c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    line +=
      ALPHABET[n >> 18] +
      ALPHABET[(n >> 12) & 63] +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63] : '=');
    // Join in pieces: one long += chain is slow for megabytes of weights in some engines.
    if (line.length >= 8192) {
      parts.push(line);
      line = '';
    }
  }
  parts.push(line);
  return parts.join('');
}

/** The bytes of a base64 text, or null when it is not base64 (wrong alphabet, length or padding). */
export function base64ToBytes(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const code = text.charCodeAt(i + k);
      if (last && code === 61 /* = */ && k >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = code < 128 ? VALUE[code] : -1;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  // Bits after the last byte must be zero: one byte string, one text.
  if (pad > 0 && base64Tail(text, pad) !== 0) return null;
  return out;
}

function base64Tail(text: string, pad: number): number {
  const v = VALUE[text.charCodeAt(text.length - pad - 1)];
  return pad === 2 ? v & 15 : v & 3;
}

/** Base64 of the values as little-endian float32. */
export function float32ToBase64(data: Float32Array): string {
  const bytes = new Uint8Array(data.length * 4);
  encodeFloat32(data, bytes);
  return bytesToBase64(bytes);
}

/** The float32 values of a base64 text, or null when it is not base64 of whole float32 values. */
export function base64ToFloat32(text: string): Float32Array | null {
  const bytes = base64ToBytes(text);
  if (!bytes || bytes.length % 4 !== 0) return null;
  return decodeToFloat32('F32', bytes, bytes.length / 4);
}
