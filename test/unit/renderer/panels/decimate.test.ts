import { describe, expect, it } from 'vitest';
import { StreamingDecimator } from '../../../../renderer/panels/charts/decimate';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function run(ys: (number | null)[], max: number, chunks = 1) {
  const xs = range(ys.length);
  const d = new StreamingDecimator(max);
  const view: (number | null)[] = [];
  const step = Math.ceil(ys.length / chunks);
  for (let i = 0; i < ys.length; i += step) {
    view.push(...ys.slice(i, i + step));
    d.update(view);
  }
  return d.points(xs, view);
}

describe('StreamingDecimator', () => {
  it('keeps short series whole, leaving out nulls and non-finite values', () => {
    expect(run([0.5, null, NaN, 0.25], 100)).toEqual([
      { x: 1, y: 0.5 },
      { x: 4, y: 0.25 },
    ]);
  });

  it('cuts a long series to the budget, in order, with the first and last point', () => {
    const n = 100_000;
    const out = run(
      range(n).map((x) => 1 / x),
      500,
    );
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.length).toBeGreaterThan(200);
    expect(out[0]).toEqual({ x: 1, y: 1 });
    expect(out.at(-1)).toEqual({ x: n, y: 1 / n });
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('keeps every spike: each bucket keeps its lowest and highest point', () => {
    const ys = range(10_000).map(() => 1);
    ys[4321] = 50;
    ys[7777] = -3;
    const out = run(ys, 200);
    expect(out).toContainEqual({ x: 4322, y: 50 });
    expect(out).toContainEqual({ x: 7778, y: -3 });
  });

  it('gives the same points fed epoch by epoch in batches as all at once', () => {
    const ys = range(30_000).map((x) => Math.sin(x / 300) + ((x * 7919) % 13) / 100);
    expect(run(ys, 400, 97)).toEqual(run(ys, 400, 1));
  });

  it('skips leading and trailing nulls (a test loss that starts late)', () => {
    const ys = range(5000).map((x) => (x < 10 || x > 4990 ? null : x));
    const out = run(ys, 100);
    expect(out[0]).toEqual({ x: 10, y: 10 });
    expect(out.at(-1)).toEqual({ x: 4990, y: 4990 });
    expect(out.every((p) => Number.isFinite(p.y))).toBe(true);
  });

  it('starts over for a new history (after Reset)', () => {
    const d = new StreamingDecimator(100);
    const a = [5, 4, 3];
    d.update(a);
    const b = [1];
    d.update(b);
    expect(d.points([1], b)).toEqual([{ x: 1, y: 1 }]);
    expect(run(new Array(3000).fill(null), 100)).toEqual([]);
  });
});
