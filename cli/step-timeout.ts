// --step-timeout SECONDS: how long one training step, one plugin call or one plugin load may run
// before the command is stopped (cli/thread/watched.ts). The default is the app's.
import { DEFAULT_STEP_TIMEOUT_MS } from '../core/util/activity';
import { LabError } from '../core/util/errors';
import type { OptionSpec } from './args';

export const STEP_TIMEOUT_OPTION: OptionSpec = {
  kind: 'string',
  value: 'SECONDS',
  description: `stop when a training step, a plugin call or a plugin load runs longer than SECONDS (default ${DEFAULT_STEP_TIMEOUT_MS / 1000}, as in the app)`,
};

/** The most a step may be given: a day (a timer cannot wait much longer). */
const MAX_SECONDS = 86_400;

/**
 * The limit in milliseconds: `given` seconds (a positive number), or the default.
 *
 * @example stepTimeoutMs('0.5') // 500
 */
export function stepTimeoutMs(given: string | undefined): number {
  if (given === undefined) return DEFAULT_STEP_TIMEOUT_MS;
  const s = /^\s*\+?(\d+(\.\d*)?|\.\d+)\s*$/.test(given) ? Number(given) : NaN;
  if (!(s > 0) || s > MAX_SECONDS) {
    throw new LabError(
      'USAGE',
      `option --step-timeout must be a number of seconds above 0 and at most ${MAX_SECONDS}, got '${given}'`,
    );
  }
  return Math.max(1, Math.round(s * 1000));
}
