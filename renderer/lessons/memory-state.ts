// What the memory lessons watch: the Memory view's last measurement, with the flags of the
// network it measured (so a check never compares a figure from before the student's change).
import type { LessonApp } from './lesson';

export interface MemoryState {
  batch: number;
  /** The step's peak of bytes held for backward, as the network is. */
  peak: number;
  /** The same step without frozen, detach and recompute (null: no node has one). */
  plain: number | null;
  frozen: string[];
  detached: string[];
  /** Bytes each node keeps, by id. */
  kept: Record<string, number>;
}

export function observeMemory({ lab }: LessonApp): MemoryState | null {
  const r = lab.result('memory');
  if (!r) return null;
  return {
    batch: r.batch,
    peak: r.report.peakSavedBytes,
    plain: r.plain ? r.plain.peakSavedBytes : null,
    frozen: r.nodes.filter((n) => n.frozen).map((n) => n.id),
    detached: r.nodes.filter((n) => n.detach).map((n) => n.id),
    kept: Object.fromEntries(
      Object.entries(r.report.nodes).map(([id, m]) => [id, m.savedBytes + m.recomputedBytes]),
    ),
  };
}

/** "n nodes" as "a, b and c". */
export function listIds(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}
