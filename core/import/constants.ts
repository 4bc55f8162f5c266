/** Reading a layer's weights out of ONNX constants, for the layers' import patterns. */
import type { OnnxTensorValue } from './onnx-read';

/** A [k, n] constant as an [n, k] matrix (or as it is, when `transposed`), times alpha. */
export function matrixOf(
  B: OnnxTensorValue,
  transposed: boolean,
  alpha: number,
): { shape: number[]; data: Float32Array } {
  if (transposed) return { shape: B.dims.slice(), data: B.data.map((v) => v * alpha) };
  const [k, n] = B.dims;
  const data = new Float32Array(k * n);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < n; j++) data[j * k + i] = B.data[i * n + j] * alpha;
  return { shape: [n, k], data };
}

/**
 * A vector of `size` values, times `scale`, from a constant of shape [size] (leading axes of 1
 * allowed, as [1, size]) or one value broadcast; else undefined.
 */
export function vectorOf(
  C: OnnxTensorValue,
  size: number,
  scale: number,
): Float32Array | undefined {
  const leading = C.dims.slice(0, -1).every((d) => d === 1);
  if (C.data.length === size && leading) return C.data.map((v) => v * scale);
  if (C.data.length === 1) return new Float32Array(size).fill(C.data[0] * scale);
  return undefined;
}
