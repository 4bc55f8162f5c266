/**
 * Checking loaded weights against what a network expects. Every mismatch is listed at once —
 * missing tensors, extra tensors and wrong shapes — so a user can fix a file in one go.
 */
import { LabError } from '../util/errors';
import { formatShape, type NamedTensors } from './named-tensors';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Where a tensor first holds NaN or ±Infinity, and how many such values it has. */
function nonFinite(t: NamedTensors[string]): { at: number[]; value: number; count: number } | null {
  const d = t.data;
  let first = -1;
  let count = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] - d[i] !== 0) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return null;
  // The flat index as a position in the tensor's shape: [row, column] for a Dense weight.
  const at: number[] = [];
  let rest = first;
  for (let k = t.shape.length - 1; k >= 0; k--) {
    at.unshift(rest % t.shape[k]);
    rest = Math.floor(rest / t.shape[k]);
  }
  return { at, value: d[first], count };
}

/**
 * Throws LabError('WEIGHTS') unless `given` has exactly the tensors in `expected` (name → shape),
 * each with the expected shape and only finite values (NaN or Infinity would be blamed on the
 * learning rate a step later). `problems` lists every mismatch, in the network's order first.
 */
export function matchWeights(expected: Record<string, number[]>, given: NamedTensors): void {
  const missing: string[] = [];
  const mismatched: string[] = [];
  const extra: string[] = [];
  const broken: string[] = [];
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(expected)) {
    if (!Object.hasOwn(given, name)) {
      missing.push(name);
      problems.push(`${name}: missing from the file (expected shape ${formatShape(shape)})`);
    } else if (!sameShape(shape, given[name].shape)) {
      mismatched.push(name);
      problems.push(
        `${name}: expected shape ${formatShape(shape)}, file has ${formatShape(given[name].shape)}`,
      );
    } else {
      const bad = nonFinite(given[name]);
      if (bad) {
        broken.push(name);
        const more = bad.count > 1 ? ` (${bad.count} values in all are not finite)` : '';
        problems.push(`${name}: holds ${bad.value} at [${bad.at.join(', ')}]${more}`);
      }
    }
  }
  for (const [name, tensor] of Object.entries(given)) {
    if (Object.hasOwn(expected, name)) continue;
    extra.push(name);
    problems.push(
      `${name}: in the file but not in the network (shape ${formatShape(tensor.shape)})`,
    );
  }
  if (problems.length === 0) return;
  if (problems.length === broken.length) {
    throw new LabError(
      'WEIGHTS',
      `the weights are not all finite numbers: ${problems.join('; ')}; these weights cannot be trained or exported (they may come from a run that diverged)`,
      {},
      problems,
    );
  }
  const counts = [
    missing.length > 0 && count(missing.length, 'missing tensor', 'missing tensors'),
    extra.length > 0 && count(extra.length, 'extra tensor', 'extra tensors'),
    mismatched.length > 0 && count(mismatched.length, 'shape mismatch', 'shape mismatches'),
    broken.length > 0 && count(broken.length, 'tensor not finite', 'tensors not finite'),
  ].filter((part): part is string => typeof part === 'string');
  throw new LabError(
    'WEIGHTS',
    `weights do not match the network: ${counts.join(', ')}`,
    {},
    problems,
  );
}
