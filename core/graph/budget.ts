/**
 * The memory budget: what a network, a gradient check or a data set may need before anything is
 * allocated for it. Sizes come from shapes alone (a Dense layer of 2e9 units is refused in
 * microseconds, naming the node, its parameter count and the bytes, instead of growing to many
 * gigabytes and dying). Each host states its budget once (setMemoryBudget): the command line
 * half of the machine's memory or --memory-budget, the app a setting in the Training tab.
 *
 * The estimates count what the engine really keeps, rounded up: every weight with its gradient
 * and optimizer state (momentum: one more copy, Adam: two), and per node of a batch its output,
 * its output's gradient and what it saves for backward (at most one more of the same size).
 */
import { LabError } from '../util/errors';
import type { OptimizerConfig } from './schema';

export interface MemoryBudget {
  bytes: number;
  /** Where the number comes from and how to change it, for messages. */
  note: string;
}

/** Where no host said otherwise: 2 GiB. */
export const DEFAULT_MEMORY_BUDGET: MemoryBudget = {
  bytes: 2 * 1024 ** 3,
  note: 'the default budget',
};

let budget: MemoryBudget = DEFAULT_MEMORY_BUDGET;

/** State this thread's budget (the command line at start, the training worker when told). */
export function setMemoryBudget(b: MemoryBudget): void {
  if (!(b.bytes > 0)) throw new Error(`a memory budget must be positive, got ${b.bytes}`);
  budget = { ...b };
}

export function memoryBudget(): MemoryBudget {
  return budget;
}

/**
 * "1.5 GiB", "512 MiB", "12 KiB", "300 bytes", or "more than 9 PiB" for sizes no machine has.
 *
 * @example formatBudgetBytes(2 * 1024 ** 3) // '2.0 GiB'
 */
export function formatBudgetBytes(n: number): string {
  if (!Number.isFinite(n) || n > 9 * 1024 ** 5) return 'more than 9 PiB';
  if (n < 1024) return `${Math.round(n)} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/**
 * 4000000000 → "4,000,000,000". By hand: after the sandbox's lockdown (core/plugins/sandbox),
 * toLocaleString groups no digits.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n >= 1e21) return String(n);
  const digits = String(Math.round(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

function over(): string {
  return `the memory budget of ${formatBudgetBytes(budget.bytes)} (${budget.note})`;
}

/** What one node of a network needs for training, from its shapes. */
export interface NodeNeed {
  id: string;
  type: string;
  paramCount: number;
  /** Output elements of one sample (the output shape's size). */
  outSize: number;
  trainable: boolean;
}

/** Copies of each weight the optimizer keeps besides the weight: its gradient and its state. */
function copiesPerWeight(optimizer: OptimizerConfig | undefined, trainable: boolean): number {
  if (!trainable) return 0;
  if (optimizer?.type === 'adam') return 3;
  return optimizer?.type === 'sgd' && optimizer.momentum > 0 ? 2 : 1;
}

function nodeBytes(n: NodeNeed, batch: number, optimizer: OptimizerConfig | undefined) {
  const weights = 4 * n.paramCount * (1 + copiesPerWeight(optimizer, n.trainable));
  const activations = 4 * n.outSize * batch * 3;
  return { weights, activations, total: weights + activations };
}

/**
 * The problems of a network that needs more memory than the budget for training at `batch`:
 * one, on the node that needs the most, naming its parameter count and bytes and the total.
 * Empty when it fits.
 */
export function networkBudgetProblems(
  nodes: NodeNeed[],
  batch: number,
  optimizer?: OptimizerConfig,
): { node: string; message: string }[] {
  let total = 0;
  let worst: { n: NodeNeed; b: ReturnType<typeof nodeBytes> } | null = null;
  for (const n of nodes) {
    const b = nodeBytes(n, batch, optimizer);
    total += b.total;
    if (!worst || b.total > worst.b.total) worst = { n, b };
  }
  if (!worst || total <= budget.bytes) return [];
  const { n, b } = worst;
  const parts: string[] = [];
  if (n.paramCount > 0) {
    const copies = copiesPerWeight(optimizer, n.trainable);
    const kept =
      copies === 0
        ? ''
        : copies === 1
          ? ' with their gradients'
          : ' with their gradients and the optimizer state';
    parts.push(`${formatCount(n.paramCount)} parameters: ${formatBudgetBytes(b.weights)}${kept}`);
  }
  parts.push(
    `${formatCount(n.outSize)} outputs per sample: ${formatBudgetBytes(b.activations)} at batch ${formatCount(batch)}`,
  );
  const whole =
    nodes.length > 1 ? `; the network needs about ${formatBudgetBytes(total)} in all` : '';
  return [
    {
      node: n.id,
      message: `needs about ${formatBudgetBytes(b.total)} to train (${parts.join('; ')})${whole}, over ${over()}`,
    },
  ];
}

/** A gradient check is for small shapes: every element is nudged twice, each nudge a forward. */
export const GRADCHECK_MAX_WORK = 2e10;

/**
 * Refuses (LabError 'BUDGET') a gradient check of `where` too big to finish: its tensors over
 * the memory budget, or more element-evaluations than GRADCHECK_MAX_WORK.
 */
export function checkGradcheckBudget(
  where: string,
  sizes: { inputs: number; weights: number; outputs: number },
): void {
  const leaves = sizes.inputs + sizes.weights;
  // float32 values, float64 analytic and numeric gradients, the output and its random weights,
  // and as much again for what the layer makes while it computes.
  const bytes = 2 * (24 * leaves + 16 * sizes.outputs);
  const counts = `${formatCount(sizes.inputs)} input values, ${formatCount(sizes.weights)} weights, ${formatCount(sizes.outputs)} outputs`;
  if (bytes > budget.bytes) {
    throw new LabError(
      'BUDGET',
      `${where}: the gradient check needs about ${formatBudgetBytes(bytes)} (${counts}), over ${over()}; check it on a smaller shape`,
    );
  }
  const work = 2 * leaves * (leaves + sizes.outputs);
  if (work > GRADCHECK_MAX_WORK) {
    throw new LabError(
      'BUDGET',
      `${where}: the gradient check would run forward ${formatCount(2 * leaves)} times over ${counts} (it nudges every value), which takes hours; check it on a smaller shape (a few thousand values)`,
    );
  }
}

/**
 * Refuses (LabError 'BUDGET', at `path`) a data set of `samples` rows of `width` numbers that
 * would need more than the budget (the rows, the train/test split and a normalized copy).
 */
export function checkDataBudget(samples: number, width: number, path: string): void {
  const bytes = 4 * samples * width * 3;
  if (bytes > budget.bytes) {
    throw new LabError(
      'BUDGET',
      `${path}: ${formatCount(samples)} samples of ${width} values need about ${formatBudgetBytes(bytes)}, over ${over()}`,
      { path },
    );
  }
}
