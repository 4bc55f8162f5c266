// Node ids: the rule of the project format, and fresh ids named after the layer type.

const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function isValidNodeId(id: string): boolean {
  return NODE_ID.test(id);
}

/** `dense1`, `dense2` …: the type in lower case and the first free number. */
export function nextNodeId(type: string, taken: ReadonlySet<string>): string {
  let base = type.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  if (!/^[a-z_]/.test(base)) base = `node${base}`;
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}
