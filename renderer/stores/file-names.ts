/** A file name from a project name: letters, digits, - and _ only ('My net' → 'My-net'). */
export function fileStem(name: string): string {
  return (
    name
      .trim()
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'untitled'
  );
}
