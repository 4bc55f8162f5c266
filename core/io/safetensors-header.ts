/**
 * Parsing and validating a safetensors header: everything that can be checked before a single
 * value is decoded. Each problem is a LabError('SAFETENSORS') whose message names the tensor.
 *
 * Layout (https://github.com/huggingface/safetensors): an 8-byte little-endian u64 N, then N bytes
 * of UTF-8 JSON (possibly padded with spaces), then the data section. Each tensor's
 * `data_offsets` are relative to the start of the data section; together they tile it exactly.
 */
import { LabError } from '../util/errors';
import { duplicateTopLevelKey } from './json-duplicates';
import { describeJson, isPlainObject } from './json-values';
import { formatShape, isValidShape, shapeSize } from './named-tensors';
import {
  DTYPE_BYTES,
  isReadableDtype,
  SAFETENSORS_DTYPES,
  type ReadableDtype,
} from './safetensors-dtypes';

export interface TensorEntry {
  name: string;
  dtype: ReadableDtype;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  metadata: Record<string, string>;
  /** Tensors in the order their data appears in the file. */
  entries: TensorEntry[];
  /** Byte index in the file where the data section starts (8 + N). */
  dataStart: number;
}

const METADATA_KEY = '__metadata__';

function fail(message: string, tensor?: string): never {
  throw new LabError('SAFETENSORS', message, tensor === undefined ? {} : { tensor });
}

function readHeaderJson(bytes: Uint8Array): { json: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) {
    fail(
      `safetensors file is too short: ${bytes.length} bytes, it needs at least 8 (the header length)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low;
  if (high !== 0 || 8 + low > bytes.length) {
    fail(
      `safetensors header length is ${headerLength} bytes, but the file has only ` +
        `${bytes.length - 8} bytes after the 8-byte length`,
    );
  }
  const headerBytes = bytes.subarray(8, 8 + low);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    fail('safetensors header is not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    fail(
      `safetensors header must be a JSON object starting with '{', found ${describeStart(text)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`safetensors header is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(json)) {
    fail(`safetensors header must be a JSON object, found ${describeJson(json)}`);
  }
  const twice = duplicateTopLevelKey(text);
  if (twice !== null) fail(`safetensors header names "${twice}" twice`, twice);
  return { json, dataStart: 8 + low };
}

function describeStart(text: string): string {
  if (text.length === 0) return 'an empty header';
  return JSON.stringify(text.slice(0, 20));
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) {
    fail(`safetensors ${METADATA_KEY} must be an object of strings, found ${describeJson(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      fail(`safetensors ${METADATA_KEY} value "${key}" must be a string, found ${describeJson(v)}`);
    }
  }
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

function readEntry(name: string, value: unknown, dataLength: number): TensorEntry {
  const at = `tensor "${name}"`;
  if (!isPlainObject(value)) {
    fail(
      `${at}: entry must be an object with dtype, shape and data_offsets, found ${describeJson(value)}`,
      name,
    );
  }
  for (const key of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.hasOwn(value, key)) fail(`${at}: entry has no "${key}"`, name);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') {
    fail(`${at}: "dtype" must be a string, found ${describeJson(dtype)}`, name);
  }
  if (!isReadableDtype(dtype)) {
    const kind = SAFETENSORS_DTYPES.includes(dtype) ? 'dtype' : 'unknown dtype';
    fail(
      `${at}: ${kind} "${dtype}" is not supported; Backprop Lab reads F32, F64, F16 and BF16`,
      name,
    );
  }
  if (!isValidShape(shape)) {
    fail(
      `${at}: "shape" must be an array of non-negative integers, found ${JSON.stringify(shape)}`,
      name,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(
      `${at}: "data_offsets" must be [begin, end] with 0 <= begin <= end, found ${JSON.stringify(offsets)}`,
      name,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    fail(
      `${at}: data_offsets [${begin}, ${end}] run past the end of the data section (${dataLength} bytes)`,
      name,
    );
  }
  const needed = shapeSize(shape) * DTYPE_BYTES[dtype];
  if (needed !== end - begin) {
    fail(
      `${at}: shape ${formatShape(shape)} of ${dtype} needs ${needed} bytes, ` +
        `but data_offsets [${begin}, ${end}] cover ${end - begin}`,
      name,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

/** Checks that the tensors tile the data section: no gap, no overlap, nothing left over. */
function checkContiguous(entries: TensorEntry[], dataLength: number): void {
  let previous: TensorEntry | undefined;
  for (const entry of entries) {
    const previousEnd = previous ? previous.end : 0;
    if (previous && entry.begin < previousEnd) {
      fail(
        `tensors "${previous.name}" [${previous.begin}, ${previous.end}] and ` +
          `"${entry.name}" [${entry.begin}, ${entry.end}] overlap`,
        entry.name,
      );
    }
    if (entry.begin > previousEnd) {
      const before = previous
        ? `after tensor "${previous.name}" (ends at ${previousEnd})`
        : 'at the start of the data section';
      fail(
        `${entry.begin - previousEnd} bytes belong to no tensor ${before}, ` +
          `before tensor "${entry.name}" (starts at ${entry.begin})`,
        entry.name,
      );
    }
    previous = entry;
  }
  const covered = previous ? previous.end : 0;
  if (covered !== dataLength) {
    const last = previous ? `, after tensor "${previous.name}"` : ' (the file has no tensors)';
    fail(
      `safetensors data section has ${dataLength} bytes, but the tensors cover only ${covered}: ` +
        `${dataLength - covered} bytes belong to no tensor${last}`,
      previous?.name,
    );
  }
}

export function parseSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const { json, dataStart } = readHeaderJson(bytes);
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata(json[METADATA_KEY]);
  const entries = Object.entries(json)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => readEntry(name, value, dataLength))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkContiguous(entries, dataLength);
  return { metadata, entries, dataStart };
}
