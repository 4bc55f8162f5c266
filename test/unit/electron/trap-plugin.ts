/** A plugin whose top level, if it ever ran in the test process, would set a global and throw. */
export const TRAP_PLUGIN =
  "globalThis.__labPluginEvaluated = true;\nthrow new Error('plugin code ran in main');\nexport default {};\n";

export function pluginCodeRan(): boolean {
  return (globalThis as Record<string, unknown>).__labPluginEvaluated !== undefined;
}
