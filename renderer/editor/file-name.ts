// The name a layer written in the editor is saved under: a plain plugin file name, as the
// plugin folder takes it (.js, .ts, .mjs or .mts; no folders; not hidden; not a .d.ts).

/** Why a name cannot be used, or null when it can. */
export function fileNameProblem(name: string): string | null {
  if (!name.trim()) return 'Give the file a name, such as my-layer.js';
  if (/[/\\]/.test(name)) return 'A file name has no folders in it';
  if (name.startsWith('.')) return 'A file name may not start with a dot';
  if (name.length > 255) return 'A file name has at most 255 characters';
  if (/\.d\.m?ts$/i.test(name)) return 'A .d.ts file holds types only: name the layer .ts or .js';
  if (!/\.(js|ts|mjs|mts)$/.test(name)) return 'A plugin file ends in .js, .ts, .mjs or .mts';
  return null;
}

/** A TypeScript file: the editor highlights and strips types. */
export function isTypeScript(name: string): boolean {
  return /\.m?ts$/.test(name);
}
