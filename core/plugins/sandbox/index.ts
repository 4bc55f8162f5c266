// Plugin code runs in Hardened JavaScript (SES): the realm's built-ins frozen (harden-realm.ts),
// one compartment per plugin file with nothing of the host (compartment.ts), and the engine
// calling only frozen, wrapped copies of its layer definitions (guard.ts).
import type { EvaluateModule } from '../catalog';
import type { PluginConsoleSink } from './compartment';

export { guardDefinition, type GuardOptions } from './guard';
export { SandboxRefusal, explainSandboxError } from './explain';
export type { PluginConsoleSink } from './compartment';

/**
 * The evaluator of plugin scripts for a host (the training worker, the command line): hardens the
 * realm before the first plugin (the SES code loads only then), then gives each file a
 * compartment of its own.
 *
 * @example const catalog = new PluginCatalog(sandboxEvaluator((level, file, text) => …));
 */
export function sandboxEvaluator(sink: PluginConsoleSink): EvaluateModule {
  return async (script, file) => {
    const [{ hardenRealm }, { hardenEngineObjects }, { evaluateInCompartment }] = await Promise.all(
      [import('./harden-realm'), import('./engine-objects'), import('./compartment')],
    );
    hardenRealm();
    hardenEngineObjects();
    return evaluateInCompartment(script, file, sink);
  };
}
