/**
 * The plain tensor shape the weight files speak: a name, a shape and row-major float32 values.
 * It does not depend on the engine, so files can be read and written without building a network.
 */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export type NamedTensors = Record<string, NamedTensor>;

/** The number of values a shape holds (1 for a scalar shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[8, 2]`, the way error messages print a shape. */
export function formatShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => String(d)).join(', ')}]`;
}

/** True when `shape` is an array of non-negative safe integers. */
export function isValidShape(shape: unknown): shape is number[] {
  return (
    Array.isArray(shape) &&
    shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  );
}

/** Tensor names in a fixed order (UTF-16 code units, independent of the locale). */
export function sortedNames(tensors: NamedTensors): string[] {
  return Object.keys(tensors).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
