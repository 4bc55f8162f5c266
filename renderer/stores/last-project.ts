// Nothing is lost on reload: the project that is open (with its training and its unsaved
// changes) is handed to the host shortly after every change and at once when the page is hidden,
// so that the next start opens it again. Hosts that keep it: the browser (its storage); the
// desktop reopens the last file instead.
import { type WatchSource, watch } from 'vue';
import type { LastProject } from '../host/host';

export interface KeepOptions {
  keep(p: LastProject): Promise<void>;
  /** Keep it synchronously, as the page goes away (an asynchronous write may not finish then). */
  keepNow?(p: LastProject): void;
  /** The project as it is now. */
  current(): LastProject;
  /** What to follow: a change to any of them writes the project again. */
  changes: WatchSource[];
  /** Least time between two writes, in ms. Default 400. */
  delayMs?: number;
  onError?(message: string): void;
  /** Where page-hide events come from (the window by default). */
  target?: Pick<Window, 'addEventListener'> | null;
}

/** Start keeping the open project; returns a function that writes it now. */
export function keepLastProject(o: KeepOptions): () => Promise<void> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = async () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    try {
      await o.keep(o.current());
    } catch (e) {
      o.onError?.(e instanceof Error ? e.message : String(e));
    }
  };
  // At most one write per delay, however fast the changes come (a run sends a snapshot every
  // few seconds, a drag moves a node every frame).
  watch(o.changes, () => {
    if (timer === null) timer = setTimeout(() => void write(), o.delayMs ?? 400);
  });
  const target =
    o.target === undefined ? (typeof window === 'undefined' ? null : window) : o.target;
  const leaving = () => {
    if (o.keepNow) {
      try {
        o.keepNow(o.current());
      } catch (e) {
        o.onError?.(e instanceof Error ? e.message : String(e));
      }
    }
    void write();
  };
  target?.addEventListener('pagehide', leaving);
  target?.addEventListener('visibilitychange', () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') leaving();
  });
  return write;
}
