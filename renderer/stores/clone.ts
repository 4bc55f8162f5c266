/**
 * A plain deep copy of JSON-shaped data. Unlike structuredClone it also copies Vue's reactive
 * proxies (which postMessage and structuredClone refuse), so values from forms are safe to keep.
 */
export function clonePlain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
