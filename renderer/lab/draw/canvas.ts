// Canvas plumbing shared by the Lab's drawings: sharp on high-DPI screens, and every draw timed
// so that a script can check that none blocks the UI for long.

/** Size the canvas for `w`×`h` CSS pixels and return a context in CSS pixel units. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  w: number,
  h: number,
): CanvasRenderingContext2D | null {
  const dpr = Math.min(globalThis.devicePixelRatio || 1, 3);
  const pw = Math.max(1, Math.round(w * dpr)),
    ph = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== pw) canvas.width = pw;
  if (canvas.height !== ph) canvas.height = ph;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

interface DrawTimes {
  /** Longest draw so far, in ms, and by which drawing. */
  max: number;
  maxName: string;
  count: number;
  last: Record<string, number>;
  /** Longest time per name. */
  maxBy: Record<string, number>;
}

const times: DrawTimes = { max: 0, maxName: '', count: 0, last: {}, maxBy: {} };
(globalThis as { __labDrawTimes?: DrawTimes }).__labDrawTimes = times;

/** Note how long a piece of UI work took (read by scripts as window.__labDrawTimes). */
export function recordTime(name: string, ms: number): void {
  times.count++;
  times.last[name] = ms;
  times.maxBy[name] = Math.max(times.maxBy[name] ?? 0, ms);
  if (ms > times.max) {
    times.max = ms;
    times.maxName = name;
  }
}

/** Run a drawing and record how long it took. */
export function timedDraw(name: string, draw: () => void): void {
  const t0 = performance.now();
  try {
    draw();
  } finally {
    recordTime(name, performance.now() - t0);
  }
}
