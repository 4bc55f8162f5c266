// CSV files the user imported in this session: the worker reads no files, so their text is kept
// here and sent with every training run whose data source names them.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { ProjectInput } from '../../core/graph/schema';
import { splitRecords } from '../../core/data/csv-records';
import { services } from './services';

export interface CsvFile {
  /** What a project's data source says after `csv:` (the path in Electron, the name in a browser). */
  key: string;
  name: string;
  text: string;
}

export interface CsvPreview {
  columns: string[];
  rows: string[][];
  /** The preview reads only the start of a big file. */
  truncated: boolean;
}

/** Enough of a file for a preview, without splitting megabytes on the UI thread. */
const PREVIEW_CHARS = 64 * 1024;

export const useDataStore = defineStore('data', () => {
  const files = shallowRef<Record<string, CsvFile>>({});
  const error = shallowRef<string | null>(null);

  /** Pick a CSV file; returns its key for `data.source = 'csv:' + key`, or null when cancelled. */
  async function importCsv(): Promise<string | null> {
    let opened;
    try {
      opened = await services().host.openCsv();
    } catch (e) {
      error.value = `the CSV file could not be read: ${e instanceof Error ? e.message : String(e)}`;
      return null;
    }
    if (!opened) return null;
    const key = opened.path ?? opened.name;
    add({ key, name: opened.name, text: opened.text });
    error.value = null;
    return key;
  }

  function add(file: CsvFile): void {
    files.value = { ...files.value, [file.key]: file };
  }

  function forget(key: string): void {
    const { [key]: _gone, ...rest } = files.value;
    files.value = rest;
  }

  /** Header and first rows of a loaded file, for the column picker. */
  function preview(key: string, rows = 8): CsvPreview | null {
    const f = files.value[key];
    if (!f) return null;
    const truncated = f.text.length > PREVIEW_CHARS;
    const head = truncated ? f.text.slice(0, f.text.lastIndexOf('\n', PREVIEW_CHARS) + 1) : f.text;
    try {
      const records = splitRecords(head, f.name).filter((r) =>
        r.fields.some((x) => x.trim() !== ''),
      );
      const [header, ...body] = records;
      return {
        columns: header?.fields.map((c) => c.trim()) ?? [],
        rows: body.slice(0, rows).map((r) => r.fields),
        truncated: truncated || body.length > rows,
      };
    } catch {
      return { columns: [], rows: [], truncated };
    }
  }

  /** The CSV key a project's data source names, if any. */
  function csvKey(p: Pick<ProjectInput, 'data'>): string | null {
    const s = p.data.source;
    return s?.startsWith('csv:') ? s.slice('csv:'.length) : null;
  }

  /** The files a training run of this project needs (what the worker gets as `files`). */
  function filesFor(p: Pick<ProjectInput, 'data'>): Record<string, string> {
    const key = csvKey(p);
    const f = key === null ? undefined : files.value[key];
    return f ? { [f.key]: f.text } : {};
  }

  /** The CSV the project names but this session has not loaded (null when nothing is missing). */
  function missingFor(p: Pick<ProjectInput, 'data'>): string | null {
    const key = csvKey(p);
    return key !== null && !files.value[key] ? key : null;
  }

  return { files, error, importCsv, add, forget, preview, filesFor, missingFor };
});
