import type { MemoryMeter } from '../memory/meter';

/**
 * Process-wide autograd settings (each worker has its own): whether operations are recorded,
 * which graph node is running (so saved tensors are charged to it), and the active memory meter.
 */
export const autogradState: {
  enabled: boolean;
  node: string | null;
  meter: MemoryMeter | null;
} = { enabled: true, node: null, meter: null };

/** Run `fn` without recording anything for backward. */
export function noGrad<T>(fn: () => T): T {
  const prev = autogradState.enabled;
  autogradState.enabled = false;
  try {
    return fn();
  } finally {
    autogradState.enabled = prev;
  }
}

/** Run `fn` with recording switched on or off. */
export function withGrad<T>(enabled: boolean, fn: () => T): T {
  const prev = autogradState.enabled;
  autogradState.enabled = enabled;
  try {
    return fn();
  } finally {
    autogradState.enabled = prev;
  }
}

/** Charge everything `fn` saves for backward to graph node `node`. */
export function inNode<T>(node: string | null, fn: () => T): T {
  const prev = autogradState.node;
  autogradState.node = node;
  try {
    return fn();
  } finally {
    autogradState.node = prev;
  }
}
