/** A tab of the right sidebar. */
export interface Tab<K extends string> {
  id: K;
  label: string;
  /** A small count after the label (broken plugins, say). */
  badge?: number;
}
