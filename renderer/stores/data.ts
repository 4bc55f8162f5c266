// CSV files the user imported in this session: the worker reads no files, so each one's text is
// given to the worker once, when it is added (WorkerLink.setDataFile); messages after that name
// it only through their project's data source. The text is kept here too, for the data panel's
// preview and for a restarted worker.
import { defineStore } from 'pinia';
import { markRaw, shallowRef } from 'vue';
import type { ProjectInput } from '../../core/graph/schema';
import { services } from './services';

export interface CsvFile {
  /** What a project's data source says after `csv:` (the path in Electron, the name in a browser). */
  key: string;
  name: string;
  text: string;
}

export const useDataStore = defineStore('data', () => {
  const files = shallowRef<Record<string, CsvFile>>({});
  const error = shallowRef<string | null>(null);

  /**
   * Pick a CSV file; returns it (its key is for `data.source = 'csv:' + key`), or null when
   * cancelled. It is not kept until add(): an import the user cancels leaves no trace.
   */
  async function importCsv(): Promise<CsvFile | null> {
    let opened;
    try {
      opened = await services().host.openCsv();
    } catch (e) {
      error.value = `the CSV file could not be read: ${e instanceof Error ? e.message : String(e)}`;
      return null;
    }
    if (!opened) return null;
    error.value = null;
    return markRaw({ key: opened.path ?? opened.name, name: opened.name, text: opened.text });
  }

  function add(file: CsvFile): void {
    services().worker.setDataFile(file.key, file.text);
    files.value = { ...files.value, [file.key]: file };
  }

  function forget(key: string): void {
    const { [key]: _gone, ...rest } = files.value;
    services().worker.setDataFile(key, null);
    files.value = rest;
  }

  /** The CSV key a project's data source names, if any. */
  function csvKey(p: Pick<ProjectInput, 'data'>): string | null {
    const s = p.data.source;
    return s?.startsWith('csv:') ? s.slice('csv:'.length) : null;
  }

  /** The CSV the project names but this session has not loaded (null when nothing is missing). */
  function missingFor(p: Pick<ProjectInput, 'data'>): string | null {
    const key = csvKey(p);
    return key !== null && !files.value[key] ? key : null;
  }

  return { files, error, importCsv, add, forget, missingFor };
});
