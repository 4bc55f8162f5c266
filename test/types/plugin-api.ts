// Compile-time check that the author-facing plugin types (plugins/api.d.ts) describe what the
// engine hands plugins. `npm run typecheck` fails when the two drift apart. (What a plugin
// returns is checked when it runs: a Tensor made with ctx, of the shape build promised.)
import type {
  BuildArgs as CoreBuildArgs,
  LayerContext as CoreContext,
} from '../../core/layers/contract';
import type { Ops as CoreOps } from '../../core/ops';
import type { Tensor as CoreTensor } from '../../core/tensor/tensor';
import type * as Api from '../../plugins/api';

export const ctx = (c: CoreContext): Api.LayerContext => c;
export const ops = (o: CoreOps): Api.Ops => o;
export const tensor = (t: CoreTensor): Api.Tensor => t;
export const buildArgs = (b: CoreBuildArgs): Api.BuildArgs => b;

// Every op the engine offers plugins is described for authors (the losses are for training).
type Missing = Exclude<
  keyof CoreOps,
  keyof Api.Ops | 'bce' | 'bceWithLogits' | 'mse' | 'crossEntropy'
>;
export const noMissingOps: Missing extends never ? true : Missing = true;
