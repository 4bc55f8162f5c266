/**
 * safetensors files (https://github.com/huggingface/safetensors), the weights format PyTorch and
 * most other tools read. Written files are float32, little-endian, with tensors sorted by name so
 * the same weights always give the same bytes; reading also accepts F64, F16 and BF16.
 */
import { LabError } from '../util/errors';
import {
  formatShape,
  isValidShape,
  shapeSize,
  sortedNames,
  type NamedTensors,
} from './named-tensors';
import { decodeToFloat32, DTYPE_BYTES, encodeFloat32 } from './safetensors-dtypes';
import { parseSafetensorsHeader } from './safetensors-header';

export interface SafetensorsContents {
  tensors: NamedTensors;
  metadata: Record<string, string>;
}

/** Serializes float32 tensors and string metadata to the bytes of a .safetensors file. */
export function writeSafetensors(
  tensors: NamedTensors,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = sortedNames(tensors);
  const parts: string[] = [];
  if (Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new LabError(
          'SAFETENSORS',
          `metadata "${key}" must be a string, found ${typeof value}`,
        );
      }
    }
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const name of names) {
    const { shape, data } = checkWritable(name, tensors);
    const end = offset + data.length * DTYPE_BYTES.F32;
    // Key order as the reference implementation writes it: dtype, shape, data_offsets.
    const entry = { dtype: 'F32', shape, data_offsets: [offset, end] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(entry)}`);
    offset = end;
  }
  const header = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(header.length / 8) * 8; // so that 8 + N is a multiple of 8
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  bytes.set(header, 8);
  bytes.fill(0x20, 8 + header.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const name of names) {
    const { data } = tensors[name];
    encodeFloat32(data, bytes.subarray(at, at + data.byteLength));
    at += data.length * DTYPE_BYTES.F32;
  }
  return bytes;
}

function checkWritable(
  name: string,
  tensors: NamedTensors,
): { shape: number[]; data: Float32Array } {
  if (name === '__metadata__') {
    throw new LabError(
      'SAFETENSORS',
      'a tensor cannot be named "__metadata__" in a safetensors file',
      {
        tensor: name,
      },
    );
  }
  const { shape, data } = tensors[name];
  if (!isValidShape(shape)) {
    throw new LabError(
      'WEIGHTS',
      `tensor "${name}": shape ${JSON.stringify(shape)} is not a list of sizes`,
      {
        tensor: name,
      },
    );
  }
  if (Object.prototype.toString.call(data) !== '[object Float32Array]') {
    throw new LabError('WEIGHTS', `tensor "${name}": data must be a Float32Array`, {
      tensor: name,
    });
  }
  if (shapeSize(shape) !== data.length) {
    throw new LabError(
      'WEIGHTS',
      `tensor "${name}": shape ${formatShape(shape)} holds ${shapeSize(shape)} values, data has ${data.length}`,
      { tensor: name },
    );
  }
  return { shape, data };
}

/**
 * Reads a .safetensors file. Tensors come back as float32 in the order their data appears in the
 * file; malformed files throw LabError('SAFETENSORS') naming the tensor at fault.
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsContents {
  const { metadata, entries, dataStart } = parseSafetensorsHeader(bytes);
  const tensors: NamedTensors = Object.fromEntries(
    entries.map(({ name, dtype, shape, begin, end }) => {
      const data = decodeToFloat32(
        dtype,
        bytes.subarray(dataStart + begin, dataStart + end),
        shapeSize(shape),
      );
      return [name, { shape, data }];
    }),
  );
  return { tensors, metadata };
}
