import { autogradState, noGrad } from '../autograd/state';
import type { LossType } from '../losses';
import type { ForwardResult, Model } from '../model/model';
import { Tensor, sizeOf } from '../tensor/tensor';
import { LabError } from '../util/errors';
import { Rng } from '../util/rng';

/** A rectangle of the input plane: x runs over the first feature, y over the second. */
export interface PlaneBounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface GridSpec extends PlaneBounds {
  /** Cells across (x) and down (y). */
  nx: number;
  ny: number;
}

/**
 * What the colour of a cell means: the probability of class 1 (a sigmoid output, or BCE on
 * logits after a sigmoid), the raw output (a regression), or the most likely class.
 */
export type BoundaryKind = 'probability' | 'value' | 'class';

export interface BoundaryGrid extends GridSpec {
  kind: BoundaryKind;
  /**
   * One value per cell, row-major with row 0 at the top (y1) and column 0 at the left (x0);
   * each value is taken at the cell's centre. For 'class' it is the winning class's probability.
   */
  values: Float32Array;
  /** For 'class': the winning class per cell. */
  classes: Int32Array | null;
  /** Number of classes for 'class' (the output's width), else 1. */
  classCount: number;
  /** Smallest and largest value over the grid. */
  min: number;
  max: number;
}

/**
 * The bounding box of 2-D points, widened by `pad` of its size on each side (and to at least
 * a unit square around a single point), so that the boundary shows some room around the data.
 *
 * @example planeBounds(train.x) // { x0: -1.2, x1: 1.2, y0: -1.1, y1: 1.1 }
 */
export function planeBounds(points: ArrayLike<number>, pad = 0.1): PlaneBounds {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i],
      y = points[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 > x1) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  const wx = Math.max(x1 - x0, 1e-6),
    wy = Math.max(y1 - y0, 1e-6);
  const px = x1 - x0 < 1e-6 ? 0.5 : wx * pad;
  const py = y1 - y0 < 1e-6 ? 0.5 : wy * pad;
  return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
}

/** The input-plane point at the centre of cell (row, col). */
export function cellCentre(g: GridSpec, row: number, col: number): [number, number] {
  return [g.x0 + ((col + 0.5) * (g.x1 - g.x0)) / g.nx, g.y1 - ((row + 0.5) * (g.y1 - g.y0)) / g.ny];
}

/** How the network's output is read as a colour, for this loss and output width. */
export function boundaryKind(loss: LossType, outWidth: number): BoundaryKind {
  if (outWidth > 1) return 'class';
  return loss === 'MSE' ? 'value' : 'probability';
}

/**
 * The network's output over a grid of the input plane, in evaluation mode (dropout off, nothing
 * recorded, no memory charged). The network must take 2 features. CrossEntropy outputs are
 * logits: a cell holds the argmax class and its softmax probability; BCEWithLogits outputs go
 * through a sigmoid, so that every 'probability' grid is in [0, 1].
 *
 * @example const g = boundaryGrid(model, 'BCE', { ...planeBounds(x), nx: 64, ny: 64 });
 */
export function boundaryGrid(model: Model, loss: LossType, spec: GridSpec): BoundaryGrid {
  const n = spec.nx * spec.ny;
  const out = evalOutputs(model, gridInputs(model, spec, 'a decision boundary')).output;
  const width = out.data.length / n;
  const kind = boundaryKind(loss, width);
  const values = new Float32Array(n);
  let classes: Int32Array | null = null;
  if (kind === 'class') {
    classes = new Int32Array(n);
    const logits = loss === 'CrossEntropy';
    for (let i = 0; i < n; i++) {
      const row = out.data.subarray(i * width, (i + 1) * width);
      let best = 0;
      for (let k = 1; k < width; k++) if (row[k] > row[best]) best = k;
      classes[i] = best;
      if (logits) {
        let sum = 0;
        for (let k = 0; k < width; k++) sum += Math.exp(row[k] - row[best]);
        values[i] = 1 / sum;
      } else values[i] = row[best];
    }
  } else {
    const squash = loss === 'BCEWithLogits';
    for (let i = 0; i < n; i++) {
      const v = out.data[i];
      values[i] = squash ? 1 / (1 + Math.exp(-v)) : v;
    }
  }
  let min = Infinity,
    max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    ...spec,
    kind,
    values,
    classes,
    classCount: kind === 'class' ? width : 1,
    min,
    max,
  };
}

/**
 * The centres of the grid's cells as a batch of inputs (row-major, row 0 at the top), for a
 * network that takes 2 features; `what` names the view that needs them in the error otherwise.
 */
export function gridInputs(model: Model, spec: GridSpec, what: string): Tensor {
  const input = model.graph.input;
  if (sizeOf(input.outShape) !== 2) {
    throw new LabError(
      'USAGE',
      `${what} needs 2-D data, but the Input node '${input.id}' takes ${sizeOf(input.outShape)} features`,
      { node: input.id },
    );
  }
  const { nx, ny } = spec;
  if (!(Number.isInteger(nx) && nx > 0 && Number.isInteger(ny) && ny > 0)) {
    throw new LabError('USAGE', `a grid needs a positive whole number of cells, got ${nx}×${ny}`);
  }
  const n = nx * ny;
  const xs = new Float32Array(n * 2);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const [px, py] = cellCentre(spec, r, c);
      xs[(r * nx + c) * 2] = px;
      xs[(r * nx + c) * 2 + 1] = py;
    }
  }
  return new Tensor(xs, [n, ...input.outShape]);
}

/** Every node's output for x in evaluation mode, recording nothing and charging no memory. */
export function evalOutputs(model: Model, x: Tensor): ForwardResult {
  const meter = autogradState.meter;
  autogradState.meter = null;
  try {
    return noGrad(() => model.forward(x, { training: false, rng: new Rng(0) }));
  } finally {
    autogradState.meter = meter;
  }
}
