// Messages from the host as a person should read them. Electron wraps an error thrown in the
// main process as "Error invoking remote method 'project:save': LabError: <message>", and the
// stores put their own context in front ("the project could not be saved: Error invoking …").
const IPC_WRAPPER = /(?:Error: )?Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/g;

/**
 * The readable text of an error or message, with Electron's IPC wrapper removed wherever it is.
 *
 * @example hostMessage("Error invoking remote method 'csv:open': LabError: a.csv: no rows")
 *   // 'a.csv: no rows'
 */
export function hostMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(IPC_WRAPPER, '');
}
