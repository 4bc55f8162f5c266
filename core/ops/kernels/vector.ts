import { residentOffset } from './resident';
import { type Engine, wasmEngine } from './wasm-kernel';

// The elementwise parts of a training step (wasm/vector.wat) where their arrays live in the
// kernels' memory: the same results, bit for bit, as the TypeScript loops that run otherwise
// (each function returns false then, and its caller runs its loop).

/** Shorter arrays are not worth the call into WebAssembly. */
const MIN_LENGTH = 64;

type Floats = ArrayLike<number>;

/** The engine, when every array is a resident Float32Array of at least MIN_LENGTH values. */
function residentEngine(arrays: Floats[]): Engine | null {
  for (const a of arrays)
    if (!(a instanceof Float32Array) || a.length < MIN_LENGTH || residentOffset(a) < 0) return null;
  return wasmEngine();
}

const at = (a: Floats) => residentOffset(a as Float32Array);

/** y = x > 0 ? x : 0 over y's length. */
export function reluForwardWasm(x: Floats, y: Floats): boolean {
  const e = residentEngine([x, y]);
  if (!e || x.length < y.length) return false;
  e.vector.relu_forward(at(x), at(y), y.length);
  return true;
}

/** gx = y > 0 ? g : 0 over gx's length. */
export function reluBackwardWasm(g: Floats, y: Floats, gx: Floats): boolean {
  const e = residentEngine([g, y, gx]);
  if (!e || g.length < gx.length || y.length < gx.length) return false;
  e.vector.relu_backward(at(g), at(y), at(gx), gx.length);
  return true;
}

/** y[r, j] += b[j] over rows × cols. */
export function addBiasWasm(y: Floats, b: Floats, rows: number, cols: number): boolean {
  const e = residentEngine([y, b]);
  if (!e || y.length < rows * cols || b.length < cols) return false;
  e.vector.add_bias(at(y), at(b), rows, cols);
  return true;
}

/** out[j] += Σ over rows of g[r, j], rows in order. */
export function columnSumsWasm(g: Floats, out: Floats, rows: number, cols: number): boolean {
  const e = residentEngine([g, out]);
  if (!e || g.length < rows * cols || out.length < cols) return false;
  e.vector.column_sums(at(g), at(out), rows, cols);
  return true;
}

/** Whether any value is ±Infinity or NaN; null when g is not resident (the caller checks). */
export function anyNonFiniteWasm(g: Floats): boolean | null {
  const e = residentEngine([g]);
  return e ? e.vector.any_nonfinite(at(g), g.length) === 1 : null;
}

/**
 * The optimizers' updates on the first `n` values (an even count: the kernels take two at a
 * time), in float64 as the TypeScript loops compute them. Return false where not resident.
 */
export function sgdWasm(p: Floats, g: Floats, n: number, lr: number, wd: number): boolean {
  const e = residentEngine([p, g]);
  if (!e || n & 1) return false;
  e.vector.sgd(at(p), at(g), n, lr, wd);
  return true;
}

export function sgdMomentumWasm(
  p: Floats,
  g: Floats,
  b: Floats,
  n: number,
  o: { lr: number; wd: number; mu: number; first: boolean },
): boolean {
  const e = residentEngine([p, g, b]);
  if (!e || n & 1) return false;
  e.vector.sgd_momentum(at(p), at(g), at(b), n, o.lr, o.wd, o.mu, o.first ? 1 : 0);
  return true;
}

export interface AdamStep {
  wd: number;
  b1: number;
  b2: number;
  /** lr / (1 − β₁ᵗ) */
  step: number;
  /** √(1 − β₂ᵗ) */
  bc2Sqrt: number;
  eps: number;
}

export function adamWasm(
  p: Floats,
  g: Floats,
  m: Floats,
  v: Floats,
  n: number,
  o: AdamStep,
): boolean {
  const e = residentEngine([p, g, m, v]);
  if (!e || n & 1) return false;
  e.vector.adam(
    at(p),
    at(g),
    at(m),
    at(v),
    n,
    o.wd,
    o.b1,
    1 - o.b1,
    o.b2,
    1 - o.b2,
    o.step,
    o.bc2Sqrt,
    o.eps,
  );
  return true;
}
