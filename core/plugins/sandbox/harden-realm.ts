// Hardened JavaScript for the realm plugins run in (the training worker; the command line's
// engine thread). The order of these imports matters: see freeze-for-v8.ts.
import './freeze-for-v8';
import 'ses';
import './freeze-restore';

let hardened = false;

/**
 * Freeze every built-in object of this realm (SES `lockdown()`), once, before the first plugin
 * is evaluated: after it, no code can change `Math.exp`, `Array.prototype` or any other shared
 * built-in, so plugins cannot reach each other or the engine through them. The engine's own code
 * keeps running as before (its stack traces too).
 *
 * Also removed first: the built-ins that would let plugin code run later on its own
 * (`Array.fromAsync` and `Atomics.waitAsync` return promises); the engine uses neither.
 */
export function hardenRealm(): void {
  if (hardened) return;
  hardened = true;
  Reflect.deleteProperty(Array, 'fromAsync');
  if (typeof Atomics !== 'undefined') Reflect.deleteProperty(Atomics, 'waitAsync');
  lockdown({
    // The engine's errors keep their stacks (--debug); plugins see no more than they did.
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    // The host's console stays the host's (plugins get their own, see compartment.ts).
    consoleTaming: 'unsafe',
    // The fewest data properties turned into accessors: V8 keeps its fast paths for the rest.
    overrideTaming: 'min',
    domainTaming: 'unsafe',
  });
}
