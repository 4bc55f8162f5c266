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
    const { evaluateInCompartment } = await prepareSandbox();
    return evaluateInCompartment(script, file, sink);
  };
}

/**
 * Load the sandbox and lock the realm down, once. A host that watches plugin loads against a
 * time limit calls it before the first load, so the limit counts only the plugin's own time.
 */
export async function prepareSandbox(): Promise<typeof import('./compartment')> {
  const [{ hardenRealm }, { hardenEngineObjects }, compartment] = await Promise.all([
    import('./harden-realm'),
    import('./engine-objects'),
    import('./compartment'),
  ]);
  hardenRealm();
  hardenEngineObjects();
  return compartment;
}
