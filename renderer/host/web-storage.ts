// Where the web host keeps things between visits: plugin files, the autosave, the last project
// and the recent projects' files in IndexedDB.
// Behind a small interface, so tests (and browsers without IndexedDB) use memory instead.

/** A string-to-string store with asynchronous access. */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  entries(): Promise<[string, string][]>;
}

export interface WebStorage {
  /** Plugin file name → source. */
  plugins: KeyValueStore;
  /** 'project' → the autosaved state. */
  autosave: KeyValueStore;
  /** 'last' → the project open at the end of the last visit; 'recent:<name>' → a recent file's text. */
  projects: KeyValueStore;
}

export function memoryStore(initial: Record<string, string> = {}): KeyValueStore {
  const map = new Map(Object.entries(initial));
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => void map.delete(key),
    entries: async () => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

export function memoryStorage(): WebStorage {
  return { plugins: memoryStore(), autosave: memoryStore(), projects: memoryStore() };
}

const STORES = ['plugins', 'autosave', 'projects'] as const;
/** Bumped when a store is added: opening at a higher version creates the missing ones. */
const DB_VERSION = 2;

/** IndexedDB (one database, one object store per kind); memory when IndexedDB is unavailable. */
export function indexedDbStorage(name = 'backprop-lab'): WebStorage {
  if (typeof indexedDB === 'undefined') return memoryStorage();
  let db: Promise<IDBDatabase> | null = null;
  const open = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, DB_VERSION);
      req.onupgradeneeded = () => {
        for (const s of STORES) {
          if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    }));
  const store = (s: (typeof STORES)[number]): KeyValueStore => {
    const run = async <T>(mode: IDBTransactionMode, f: (os: IDBObjectStore) => IDBRequest<T>) => {
      const os = (await open()).transaction(s, mode).objectStore(s);
      return new Promise<T>((resolve, reject) => {
        const req = f(os);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error(`IndexedDB ${s}: request failed`));
      });
    };
    return {
      get: async (key) => {
        const v = await run('readonly', (os) => os.get(key));
        return typeof v === 'string' ? v : undefined;
      },
      set: async (key, value) => void (await run('readwrite', (os) => os.put(value, key))),
      delete: async (key) => void (await run('readwrite', (os) => os.delete(key))),
      entries: async () => {
        const keys = await run('readonly', (os) => os.getAllKeys());
        const values = await run('readonly', (os) => os.getAll());
        return keys.map((k, i) => [String(k), String(values[i])] as [string, string]);
      },
    };
  };
  return { plugins: store('plugins'), autosave: store('autosave'), projects: store('projects') };
}
