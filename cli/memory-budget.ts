// The command line's memory budget (core/graph/budget.ts): half of this machine's memory, or
// what --memory-budget says. Networks, data sets and gradient checks that need more are refused
// before anything is allocated, and so are files larger than the budget before they are read.
import { statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { type MemoryBudget, formatBudgetBytes, memoryBudget } from '../core/graph/budget';
import { LabError } from '../core/util/errors';
import type { OptionSpec } from './args';

export const MEMORY_BUDGET_OPTION: OptionSpec = {
  kind: 'string',
  value: 'SIZE',
  description:
    "refuse what needs more memory than SIZE (e.g. 8GB, 512MB; default: half of this machine's memory)",
};

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * The budget for a run: `given` (--memory-budget) or half of the machine's memory.
 *
 * @example cliMemoryBudget('512MB').bytes // 536870912
 */
export function cliMemoryBudget(given: string | undefined): MemoryBudget {
  if (given === undefined) {
    const bytes = Math.floor(totalmem() / 2);
    return {
      bytes,
      note: `half of this machine's ${formatBudgetBytes(totalmem())}; change it with --memory-budget`,
    };
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(given);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes > 0)) {
    throw new LabError(
      'USAGE',
      `option --memory-budget must be a size like 8GB, 512MB or 1.5G, got '${given}'`,
    );
  }
  return { bytes, note: 'set with --memory-budget' };
}

/** Refuses a file larger than the memory budget before reading it (it would not fit). */
export function checkFileSize(file: string, what: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // the read that follows says what is wrong
  }
  const b = memoryBudget();
  if (size > b.bytes) {
    throw new LabError(
      'BUDGET',
      `${file}: the ${what} is ${formatBudgetBytes(size)}, over the memory budget of ${formatBudgetBytes(b.bytes)} (${b.note})`,
      { file },
    );
  }
}
