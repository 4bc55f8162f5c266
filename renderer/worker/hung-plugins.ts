// Which plugin files hung while loading, remembered between starts of the app: a file stuck in
// an endless loop at load would otherwise be tried again at every start, and every start would
// wait the whole plugin time limit (5 s) for the training worker to be ended and started again.
// A file is kept out until its text changes (a fingerprint of it is what is remembered, not the
// text), or the user removes or disables it.

/** Where the remembered files live: file → fingerprint of the text that hung. */
export interface HungPluginMemory {
  load(): Record<string, string>;
  save(files: Record<string, string>): void;
}

/** A short fingerprint of a plugin's text: its length and a 32-bit FNV-1a hash. */
export function sourceFingerprint(source: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) {
    h ^= source.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${source.length}:${h.toString(16).padStart(8, '0')}`;
}

const KEY = 'backprop-lab.hung-plugins';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // blocked by the browser's privacy settings
  }
}

/** The browser's (and Electron renderer's) localStorage; nothing is kept where it is blocked. */
export const localHungMemory: HungPluginMemory = {
  load() {
    try {
      const v = JSON.parse(storage()?.getItem(KEY) ?? '{}') as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
      return Object.fromEntries(
        Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      return {};
    }
  },
  save(files) {
    try {
      if (Object.keys(files).length === 0) storage()?.removeItem(KEY);
      else storage()?.setItem(KEY, JSON.stringify(files));
    } catch {
      // storage full or blocked: remembered for this session only
    }
  },
};
