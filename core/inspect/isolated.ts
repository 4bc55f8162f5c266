import { autogradState, withGrad } from '../autograd/state';

/**
 * Run an inspection with recording on and the memory meter off, so that looking at a network
 * never shows up in a training step's memory accounting.
 */
export function isolated<T>(fn: () => T): T {
  const meter = autogradState.meter;
  autogradState.meter = null;
  try {
    return withGrad(true, fn);
  } finally {
    autogradState.meter = meter;
  }
}
