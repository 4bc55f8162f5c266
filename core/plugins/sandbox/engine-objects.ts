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
  // LabError's module may have been evaluated before lockdown (a test importing the engine
  // first, a host that loads plugins late): its class then extends the realm's original Error,
  // which lockdown replaced, and hardening LabError would freeze that original too. Node's own
  // code sets `Error.stackTraceLimit` (whose setter writes through to the original), so every
  // later child_process or fs error would throw "Cannot assign to read only property". Point the
  // class at the realm's Error first: instances are unchanged (Error.prototype is the same).
  if (Object.getPrototypeOf(LabError) !== Error) Object.setPrototypeOf(LabError, Error);
  harden([ops, Tensor, Rng, LabError, LAYER_CONTEXT_CLASS]);
}
