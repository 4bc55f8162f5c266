// The CSV files the worker holds, by key (what a project's `csv:` data source names): each file
// crosses from the UI thread once ('dataFile'), and every message after that names it only
// through its project's data source. A stamp tells caches (the Lab's workbenches, the live
// data check) that a file changed without comparing its text.
import { LabError } from '../../core/util/errors';

export class DataFiles {
  private readonly texts = new Map<string, { text: string; version: number }>();
  private versions = 0;

  /** Keep a file's text under its key (null: forget it). */
  set(key: string, text: string | null): void {
    if (text === null) this.texts.delete(key);
    else this.texts.set(key, { text, version: ++this.versions });
  }

  /** The text of a file, or a DATA error that says to pick it again. */
  read(key: string): string {
    const f = this.texts.get(key);
    if (!f) {
      throw new LabError(
        'DATA',
        `the data file '${key}' is not loaded: pick it again in the data panel`,
        { path: 'data.source', file: key },
      );
    }
    return f.text;
  }

  /** Which version of its CSV file a project's data reads ('' for other sources). */
  stamp(project: { data: { source?: string } }): string {
    const source = project.data.source;
    if (!source?.startsWith('csv:')) return '';
    const key = source.slice('csv:'.length);
    return `${key}#${this.texts.get(key)?.version ?? 'missing'}`;
  }
}
