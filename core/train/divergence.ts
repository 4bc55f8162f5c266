/**
 * What to tell a person whose run went non-finite: advice that fits what happened, and never
 * advice that cannot apply. Before any weight update the learning rate is not the cause; class
 * targets cannot be scaled; normalized inputs need no normalizing.
 */
import { formatNumber } from '../util/number-format';

export interface DivergenceFacts {
  /** Weight updates this run made before the failing step. */
  updates: number;
  /** The run started from weights it was given (a file, an earlier run), not a fresh init. */
  givenWeights: boolean;
  /** The largest |value| among the batch's inputs as the network sees them. */
  inputMax: number;
  /** Whether the inputs went through data.normalize. */
  normalized: boolean;
  /** The largest |target| of the batch when the targets are free numbers (regression), else null. */
  targetMax: number | null;
  /** The optimizer's learning rate. */
  lr: number;
}

/** Inputs beyond this magnitude are worth standardizing (features of unit scale are the norm). */
const LARGE_INPUT = 100;
/** Regression targets beyond this magnitude are worth scaling down. */
const LARGE_TARGET = 1e6;

/** A number in a message: 4250, 0.5, 3.2e+38. */
export function fmtValue(v: number): string {
  return formatNumber(v, { large: 1e5, expDigits: 2 });
}

/** The sentences after "Training diverged at …: <what>.", each ending with a full stop. */
export function divergenceAdvice(f: DivergenceFacts): string {
  const tips: string[] = [];
  const bigInputs = !f.normalized && f.inputMax > LARGE_INPUT;
  const standardize = `standardize the features (data.normalize: "standardize"; the inputs reach ${fmtValue(f.inputMax)})`;
  const bigTargets = f.targetMax !== null && f.targetMax > LARGE_TARGET;
  const scaleTargets = `scale the targets down (they reach ${fmtValue(f.targetMax ?? 0)})`;
  if (f.updates === 0) {
    tips.push('This happened before any weight update, so the learning rate is not the cause');
    if (bigInputs) tips.push(capital(standardize));
    if (bigTargets) tips.push(capital(scaleTargets));
    if (!bigInputs && !bigTargets) {
      tips.push(
        f.givenWeights
          ? 'The weights the run started from produce it: start from a fresh initialization, or check those weights'
          : 'The data is too large for float32 at the initial weights: scale the features down',
      );
    }
  } else {
    const alternatives = [`try a smaller learning rate (now ${fmtValue(f.lr)})`];
    if (bigInputs) alternatives.push(standardize);
    if (bigTargets) alternatives.push(scaleTargets);
    tips.push(
      `The weights had ${f.updates} update${f.updates === 1 ? '' : 's'}: ${alternatives.join(', or ')}`,
    );
  }
  return tips.map((t) => `${t}.`).join(' ');
}

/** The largest |value| of a buffer (NaN counts as nothing). */
export function maxAbs(d: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]);
    if (a > m) m = a;
  }
  return m;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
