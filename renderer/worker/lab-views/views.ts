// The data of each Lab view, computed in the worker from a workbench with core's inspection
// API. Results are summaries: the first samples of one batch, the first columns of wide layers.
import type { Dataset } from '../../../core/data/dataset';
import { inspectBatch } from '../../../core/inspect/batch';
import { denseBlame } from '../../../core/inspect/blame';
import { boundaryGrid, planeBounds } from '../../../core/inspect/boundary';
import { neuronMaps } from '../../../core/inspect/neuron-maps';
import { backpropSteps } from '../../../core/inspect/steps';
import { makePlan } from '../../../core/model/recompute-plan';
import type { CompiledNode } from '../../../core/graph/compile';
import { type Tensor, sizeOf } from '../../../core/tensor/tensor';
import type {
  BlameResult,
  BoundaryResult,
  DenseWeights,
  ForwardResult,
  MemoryResult,
  NeuronsResult,
  PointSet,
  StepNode,
  StepsResult,
} from '../../lab/inspect-types';
import { type Workbench, firstBatch, norm, sliceMatrix, toMatrix } from './workbench';

/** Limits that keep messages small. */
export const LIMITS = {
  grid: { min: 8, max: 128 },
  neuronGrid: { min: 4, max: 48 },
  neuronUnits: 32,
  points: 600,
  samples: 32,
  cols: 64,
  jacobianSamples: 16,
  /** Rows and columns of a Jacobian's matrices sent to the view (its norm covers the rest). */
  jacobianCells: 64,
  memoryBatch: 4096,
};

const clamp = (v: number, lo: number, hi: number) =>
  Math.max(lo, Math.min(hi, Math.round(Number.isFinite(v) ? v : lo)));

function points(ds: Dataset, max: number): PointSet {
  const n = Math.min(ds.n, max);
  const label = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (ds.yDim === 1) label[i] = ds.y[i];
    else {
      // One-hot rows: the class is the hot column.
      let best = 0;
      for (let k = 1; k < ds.yDim; k++)
        if (ds.y[i * ds.yDim + k] > ds.y[i * ds.yDim + best]) best = k;
      label[i] = best;
    }
  }
  return { xy: ds.x.slice(0, n * 2), label, total: ds.n };
}

/** The plane the data lies in (training and test points), with a little room around it. */
function dataPlane(wb: Workbench) {
  const all = new Float32Array((wb.train.n + wb.test.n) * 2);
  all.set(wb.train.x.subarray(0, wb.train.n * 2));
  all.set(wb.test.x.subarray(0, wb.test.n * 2), wb.train.n * 2);
  return planeBounds(all, 0.08);
}

export function boundaryView(wb: Workbench, grid: number): BoundaryResult {
  const n = clamp(grid, LIMITS.grid.min, LIMITS.grid.max);
  const g = boundaryGrid(wb.model, wb.loss, { ...dataPlane(wb), nx: n, ny: n });
  return {
    view: 'boundary',
    ...g,
    train: points(wb.train, LIMITS.points),
    test: points(wb.test, LIMITS.points),
    classNames: wb.train.classNames?.slice() ?? null,
    featureNames: wb.train.featureNames.slice(0, 2),
  };
}

/** The weight matrix W of a linear layer (Dense, or any whose Lab formulas say `linear`). */
function linearWeight(wb: Workbench, n: CompiledNode): Tensor | null {
  const linear = n.def.lab?.linear;
  return linear ? (wb.model.weightsOf(n.id)[linear.weight] ?? null) : null;
}

function denseWeights(wb: Workbench): DenseWeights[] {
  return wb.graph.nodes
    .filter((n) => linearWeight(wb, n))
    .map((n) => {
      const w = linearWeight(wb, n)!;
      return {
        node: n.id,
        input: n.inputs[0],
        out: w.shape[0],
        in: w.shape[1],
        weight: Float32Array.from(w.data),
      };
    });
}

export function forwardView(wb: Workbench, samples: number): ForwardResult {
  const { x, y, size } = firstBatch(wb, clamp(samples, 1, LIMITS.samples));
  const r = inspectBatch(wb.model, x, y, wb.loss);
  return {
    view: 'forward',
    samples: size,
    lossValue: r.loss,
    slices: wb.graph.nodes.map((n) => {
      const s = r.nodes[n.id];
      return {
        id: n.id,
        output: toMatrix(s.output, size, LIMITS.cols),
        delta: s.delta ? toMatrix(s.delta, size, LIMITS.cols) : null,
      };
    }),
    gradNorms: Object.entries(r.weightGrads).map(([name, g]) => ({
      name,
      node: name.slice(0, name.lastIndexOf('.')),
      norm: norm(g.data),
    })),
    dense: denseWeights(wb),
  };
}

export function blameView(
  wb: Workbench,
  node: string | null,
  sample: number,
  samples: number,
): BlameResult {
  const denseNodes = wb.graph.nodes.filter((n) => linearWeight(wb, n)).map((n) => n.id);
  const { x, y, size } = firstBatch(wb, clamp(samples, 1, LIMITS.samples));
  const s = clamp(sample, 0, size - 1);
  // The default: the Dense layer nearest the output, where the blame starts.
  const pick = node && denseNodes.includes(node) ? node : (denseNodes.at(-1) ?? null);
  const base = { view: 'blame' as const, samples: size, sample: s, denseNodes, node: pick };
  if (!pick) return { ...base, blame: null };
  const r = inspectBatch(wb.model, x, y, wb.loss);
  const b = denseBlame(wb.model, r, pick, s);
  const inSize = b.in,
    outSize = b.out;
  const below = r.nodes[b.inputNode].output.data;
  const own = r.nodes[pick].output.data;
  return {
    ...base,
    blame: {
      node: b.node,
      inputNode: b.inputNode,
      out: outSize,
      in: inSize,
      weight: Float32Array.from(b.weight),
      deltaOut: Float32Array.from(b.deltaOut),
      shares: Float32Array.from(b.shares),
      passed: Float32Array.from(b.passed),
      deltaIn: b.deltaIn ? Float32Array.from(b.deltaIn) : null,
      inputValues: Float32Array.from(below.subarray(s * inSize, (s + 1) * inSize)),
      outputValues: Float32Array.from(own.subarray(s * outSize, (s + 1) * outSize)),
    },
  };
}

/** Each neuron's output over the same plane as the boundary view, on a coarse grid. */
export function neuronsView(wb: Workbench, grid: number, maxUnits: number): NeuronsResult {
  const n = clamp(grid, LIMITS.neuronGrid.min, LIMITS.neuronGrid.max);
  const units = clamp(maxUnits, 1, LIMITS.neuronUnits);
  return { view: 'neurons', maps: neuronMaps(wb.model, { ...dataPlane(wb), nx: n, ny: n }, units) };
}

/**
 * One training step measured as the network is and, when `plain` is given, as the same network
 * without frozen, detach and recompute (so the view can say what those saved); with the
 * tensors each node keeps and the recompute segments the plan made.
 */
export function memoryView(
  wb: Workbench,
  batch: number | null,
  plain: Workbench | null = null,
): MemoryResult {
  const b = clamp(batch ?? wb.project.training.batchSize, 1, LIMITS.memoryBatch);
  const segments = makePlan(wb.graph.nodes, wb.graph.output.id).flatMap((s) =>
    s.kind === 'segment' ? [s.nodes.map((n) => n.id)] : [],
  );
  return {
    view: 'memory',
    batch: b,
    trainSamples: wb.train.n,
    report: wb.trainer.measureMemory(b, { detail: true }),
    plain: plain ? plain.trainer.measureMemory(b, { detail: true }) : null,
    segments,
  };
}

export function stepsView(wb: Workbench, samples: number): StepsResult {
  const { x, y, size } = firstBatch(wb, clamp(samples, 1, LIMITS.samples));
  const r = inspectBatch(wb.model, x, y, wb.loss);
  const byNode: Record<string, StepNode> = {};
  for (const n of wb.graph.nodes) {
    const s = r.nodes[n.id];
    const own = wb.model.weightsOf(n.id);
    byNode[n.id] = {
      output: toMatrix(s.output, size, LIMITS.cols),
      delta: s.delta ? toMatrix(s.delta, size, LIMITS.cols) : null,
      weightGrads: Object.keys(own).flatMap((w) => {
        const g = r.weightGrads[`${n.id}.${w}`];
        if (!g) return [];
        const [h, width] =
          g.shape.length === 1 ? [1, g.shape[0]] : [g.shape[0], sizeOf(g.shape.slice(1))];
        return [
          {
            name: w,
            shape: g.shape.slice(),
            norm: norm(g.data),
            grad: sliceMatrix(g.data, h, width, LIMITS.cols, LIMITS.cols),
          },
        ];
      }),
      weights: Object.entries(own).map(([w, t]) => {
        const [h, width] =
          t.shape.length === 1 ? [1, t.shape[0]] : [t.shape[0], sizeOf(t.shape.slice(1))];
        return {
          name: w,
          shape: t.shape.slice(),
          value: sliceMatrix(t.data, h, width, LIMITS.cols, LIMITS.cols),
        };
      }),
    };
  }
  return {
    view: 'steps',
    samples: size,
    lossValue: r.loss,
    order: backpropSteps(wb.graph),
    byNode,
    target: toMatrix(y, size, LIMITS.cols),
  };
}
