// The plugin files the user switched off (from the broken plugin's banner or the Plugins tab),
// kept in localStorage so they stay off at the next start: a disabled file is listed, never
// sent to the training worker, and its layers leave the palette until it is enabled again.

const KEY = 'backprop-lab.disabled-plugins';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked by the browser's privacy settings
  }
}

export function loadDisabledPlugins(): string[] {
  try {
    const v = JSON.parse(storage()?.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

export function saveDisabledPlugins(files: readonly string[]): void {
  try {
    if (files.length === 0) storage()?.removeItem(KEY);
    else storage()?.setItem(KEY, JSON.stringify([...files].sort()));
  } catch {
    // storage full or blocked: the choice holds for this session
  }
}
