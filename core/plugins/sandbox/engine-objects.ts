import { LAYER_CONTEXT_CLASS } from '../../layers/run';
import { ops } from '../../ops';
import { Tensor } from '../../tensor/tensor';
import { LabError } from '../../util/errors';
import { Rng } from '../../util/rng';

let hardened = false;

/**
 * Freeze the engine's objects that every layer shares and a plugin can reach through what it is
 * handed: ctx.ops and its functions, the classes of ctx, of tensors, of ctx.rng, and of the
 * errors ops throw. Their instances stay the engine's to change (a tensor's data, a generator's
 * state); no plugin can swap `ctx.ops.matmul` or `Tensor.prototype.detach` under another layer.
 */
export function hardenEngineObjects(): void {
  if (hardened) return;
  hardened = true;
  harden([ops, Tensor, Rng, LabError, LAYER_CONTEXT_CLASS]);
}
