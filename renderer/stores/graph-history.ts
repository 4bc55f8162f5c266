// Undo and redo over immutable snapshots: an entry is the project before and after one edit.

export interface HistoryEntry<T> {
  before: T;
  after: T;
  label: string;
  /** Consecutive entries with the same key become one (a node dragged in many small moves). */
  mergeKey?: string;
}

export class History<T> {
  private done: HistoryEntry<T>[] = [];
  private undone: HistoryEntry<T>[] = [];
  private open = false;

  constructor(readonly cap = 200) {}

  push(entry: HistoryEntry<T>): void {
    const top = this.done.at(-1);
    if (this.open && top && entry.mergeKey !== undefined && top.mergeKey === entry.mergeKey) {
      top.after = entry.after;
    } else {
      this.done.push({ ...entry });
      if (this.done.length > this.cap) this.done.splice(0, this.done.length - this.cap);
    }
    this.open = true;
    this.undone = [];
  }

  undo(): HistoryEntry<T> | null {
    const e = this.done.pop();
    if (!e) return null;
    this.undone.push(e);
    this.open = false;
    return e;
  }

  redo(): HistoryEntry<T> | null {
    const e = this.undone.pop();
    if (!e) return null;
    this.done.push(e);
    this.open = false;
    return e;
  }

  /** End merging: the next edit starts a new entry even if it has the same key. */
  seal(): void {
    this.open = false;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.open = false;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get undoLabel(): string | null {
    return this.done.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.undone.at(-1)?.label ?? null;
  }

  get size(): number {
    return this.done.length;
  }
}
