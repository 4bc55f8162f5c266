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

/**
 * Throws LabError('WEIGHTS') unless `given` has exactly the tensors in `expected` (name → shape),
 * each with the expected shape. `problems` lists every mismatch, in the network's order first.
 */
export function matchWeights(expected: Record<string, number[]>, given: NamedTensors): void {
  const missing: string[] = [];
  const mismatched: string[] = [];
  const extra: string[] = [];
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
  const counts = [
    missing.length > 0 && count(missing.length, 'missing tensor', 'missing tensors'),
    extra.length > 0 && count(extra.length, 'extra tensor', 'extra tensors'),
    mismatched.length > 0 && count(mismatched.length, 'shape mismatch', 'shape mismatches'),
  ].filter((part): part is string => typeof part === 'string');
  throw new LabError(
    'WEIGHTS',
    `weights do not match the network: ${counts.join(', ')}`,
    {},
    problems,
  );
}
