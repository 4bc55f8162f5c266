// The Open Recent list: absolute paths, most recent first, at most MAX_RECENT, kept in a JSON
// file in the user data folder so it survives restarts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from './fs-util';
import { log } from './log';

export const MAX_RECENT = 10;

const recentFileSchema = z.array(z.string().min(1));

export class RecentProjects {
  private items: string[];
  private readonly listeners = new Set<(items: string[]) => void>();

  private constructor(
    private readonly file: string,
    items: string[],
  ) {
    this.items = items;
  }

  /** Reads the list; a missing or damaged file starts an empty one. */
  static load(file: string): RecentProjects {
    let items: string[] = [];
    try {
      const parsed = recentFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) items = dedupe(parsed.data.map((p) => resolve(p))).slice(0, MAX_RECENT);
      else log.warn(`ignored a damaged recent-projects file: ${file}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.warn(`ignored an unreadable recent-projects file: ${file}`);
      }
    }
    return new RecentProjects(file, items);
  }

  list(): string[] {
    return [...this.items];
  }

  has(path: string): boolean {
    return this.items.includes(resolve(path));
  }

  /** Puts a project first (moving it up if it was already listed). */
  add(path: string): void {
    const p = resolve(path);
    this.set([p, ...this.items.filter((q) => q !== p)].slice(0, MAX_RECENT));
  }

  remove(path: string): void {
    const p = resolve(path);
    if (this.items.includes(p)) this.set(this.items.filter((q) => q !== p));
  }

  clear(): void {
    this.set([]);
  }

  /** Called after every change, e.g. to rebuild the Open Recent menu. */
  onChange(listener: (items: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(items: string[]): void {
    this.items = items;
    try {
      writeFileAtomicSync(this.file, `${JSON.stringify(items, null, 2)}\n`);
    } catch (e) {
      log.error(`could not save the recent-projects list to ${this.file}`, e);
    }
    for (const listener of this.listeners) listener(this.list());
  }
}

function dedupe(paths: string[]): string[] {
  return [...new Set(paths)];
}
