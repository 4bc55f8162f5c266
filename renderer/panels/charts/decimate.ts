// Fewer points for long runs: a chart of 100 000 epochs draws a few hundred pixels wide, so each
// bucket of epochs keeps only its lowest and highest point (in order). Spikes and the overall
// shape survive, drawing stays fast.

export interface XY {
  x: number;
  y: number;
}

/**
 * Min-max decimation for a series that only grows (training history): each call takes in the
 * new points only, so a redraw costs the points added since the last one plus the
 * few hundred buckets, not the whole run. Buckets cover aligned runs of `size` points; when
 * there are too many, neighbours merge and `size` doubles.
 *
 * @example const d = new StreamingDecimator(600); d.update(h.trainLoss); d.points(h.epochs, h.trainLoss)
 */
export class StreamingDecimator {
  private size = 1;
  /** Per bucket: index of its lowest and highest finite point (-1: none yet). */
  private lo: number[] = [];
  private hi: number[] = [];
  private seen = 0;
  private source: ArrayLike<number | null> | null = null;
  private readonly maxBuckets: number;

  constructor(readonly maxPoints: number) {
    this.maxBuckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  }

  /** Take in the points added to `ys` since the last call (a new or shorter array starts over). */
  update(ys: ArrayLike<number | null>): void {
    if (ys !== this.source || ys.length < this.seen) this.reset(ys);
    const n = ys.length;
    for (let i = this.seen; i < n; i++) {
      const y = ys[i];
      if (y === null || !Number.isFinite(y)) continue;
      const b = Math.floor(i / this.size);
      while (this.lo.length <= b) {
        this.lo.push(-1);
        this.hi.push(-1);
      }
      if (this.lo[b] < 0 || y < (ys[this.lo[b]] as number)) this.lo[b] = i;
      if (this.hi[b] < 0 || y > (ys[this.hi[b]] as number)) this.hi[b] = i;
      if (this.lo.length > this.maxBuckets) this.merge(ys);
    }
    this.seen = n;
  }

  /** The kept points in order: each bucket's extremes, and the very first and last point. */
  points(xs: ArrayLike<number>, ys: ArrayLike<number | null>): XY[] {
    const idx: number[] = [];
    for (let b = 0; b < this.lo.length; b++) {
      const a = this.lo[b];
      const c = this.hi[b];
      if (a < 0) continue;
      if (a === c) idx.push(a);
      else idx.push(Math.min(a, c), Math.max(a, c));
    }
    const last = lastFinite(ys, this.seen);
    if (last >= 0 && idx[idx.length - 1] !== last) idx.push(last);
    const first = firstFinite(ys, this.seen);
    if (first >= 0 && idx[0] !== first) idx.unshift(first);
    return idx.map((i) => ({ x: xs[i], y: ys[i] as number }));
  }

  private reset(ys: ArrayLike<number | null>): void {
    this.source = ys;
    this.size = 1;
    this.lo = [];
    this.hi = [];
    this.seen = 0;
  }

  private merge(ys: ArrayLike<number | null>): void {
    const lo: number[] = [];
    const hi: number[] = [];
    const pick = (a: number, b: number, better: (p: number, q: number) => boolean) =>
      a < 0 ? b : b < 0 ? a : better(ys[b] as number, ys[a] as number) ? b : a;
    for (let b = 0; b < this.lo.length; b += 2) {
      const a2 = b + 1 < this.lo.length ? this.lo[b + 1] : -1;
      const h2 = b + 1 < this.hi.length ? this.hi[b + 1] : -1;
      lo.push(pick(this.lo[b], a2, (p, q) => p < q));
      hi.push(pick(this.hi[b], h2, (p, q) => p > q));
    }
    this.lo = lo;
    this.hi = hi;
    this.size *= 2;
  }
}

function firstFinite(ys: ArrayLike<number | null>, n: number): number {
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    if (y !== null && Number.isFinite(y)) return i;
  }
  return -1;
}

function lastFinite(ys: ArrayLike<number | null>, n: number): number {
  for (let i = n - 1; i >= 0; i--) {
    const y = ys[i];
    if (y !== null && Number.isFinite(y)) return i;
  }
  return -1;
}
