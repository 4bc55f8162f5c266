// What the Lab views ask the worker for and what comes back: small summaries of one batch
// (the first few samples), never whole batches. Typed arrays are copied by postMessage.
import type { ProjectInput } from '../../core/graph/schema';
import type { StepRule } from '../../core/inspect/lab-rules';
import type { BackpropStep } from '../../core/inspect/steps';
import type { BoundaryKind } from '../../core/inspect/boundary';
import type { NeuronMaps } from '../../core/inspect/neuron-maps';
import type { FactorKind } from '../../core/inspect/network-jacobian';
import type { LossType } from '../../core/losses';
import type { MemoryReport } from '../../core/memory/meter';
import type { TensorCheck } from '../../core/gradcheck/types';
import type { RunPosition } from '../../core/train/trainer';

export const LAB_VIEWS = [
  'boundary',
  'forward',
  'blame',
  'jacobian',
  'memory',
  'steps',
  'gradcheck',
] as const;
export type LabViewId = (typeof LAB_VIEWS)[number];

/** Views whose numbers change as the network trains: the worker refreshes them while it runs. */
export const LIVE_VIEWS: readonly ViewQuery['view'][] = [
  'boundary',
  'forward',
  'blame',
  'jacobian',
  'neurons',
];

/**
 * Which weights to look at: the run's (live), a set the worker holds (by its key: a snapshot it
 * sent, or weights the UI gave it), or a fresh initialisation.
 */
export type WeightsSource =
  | { from: 'run' }
  | { from: 'given'; key: string; epoch: number; at?: RunPosition }
  | { from: 'initial' };

export type ViewQuery =
  | { view: 'boundary'; grid: number }
  | { view: 'forward'; samples: number }
  | { view: 'blame'; node: string | null; sample: number; samples: number }
  | {
      view: 'jacobian';
      /** ∂to/∂from between two nodes (null: the Input and the output, ∂ŷ/∂x). */
      from?: string | null;
      to?: string | null;
      sample: number;
      /** Which path the pair check walks, when there are several. */
      path?: number;
      /** Older form: one node, from its input (or the Dense's input, `withDense`) to it. */
      node?: string | null;
      withDense?: boolean;
    }
  | { view: 'memory'; batch: number | null }
  | { view: 'steps'; samples: number }
  | { view: 'gradcheck'; layer: string | null }
  /** Not a Lab tab: the builder canvas draws these maps inside the nodes. */
  | { view: 'neurons'; grid: number; maxUnits: number };

/** One weight set by hand for the views (a "what if": the run never sees it). */
export interface WeightEdit {
  /** The weight tensor's name (`fc2.weight`). */
  name: string;
  /** The entry, row-major (`j * in + i` of a Dense's [out, in] weight). */
  index: number;
  value: number;
}

export interface InspectRequest {
  query: ViewQuery;
  project: ProjectInput;
  weights: WeightsSource;
  /** Weights moved by hand, put over the chosen weights (after them, in order). */
  edits?: WeightEdit[];
}

/** A row-major [rows, cols] block of numbers; `fullCols` > cols when columns were cut. */
export interface Matrix {
  rows: number;
  cols: number;
  fullCols: number;
  data: Float32Array;
}

export interface NodeInfo {
  id: string;
  type: string;
  /** The lecture's layer index k (Input 0, each Dense starts the next). */
  k: number;
  inputs: string[];
  outShape: number[];
  /** 'builtin' or the plugin file. */
  source: string;
  /** Data enters the network here (the Input node). */
  entry: boolean;
  /** A plugin layer with its own backward (false: autograd through ctx.ops). */
  hasBackward: boolean;
  frozen: boolean;
  detach: boolean;
  memory: 'store' | 'recompute';
  trainable: boolean;
  /** Each output is one of its input's units (an activation): drawn in its input's column. */
  sameUnits: boolean;
  /** It is y = W·x (+ b) (lab.linear): it starts a layer, its output is a pre-activation. */
  linear: boolean;
  /** The symbols of its output and its local error, in the lecture's notation. */
  symbol: string;
  deltaSymbol: string;
  /** The loss whose gradient its derivative cancels at the output (BCE on a sigmoid), if any. */
  cancels: string | null;
  /** The rules of its forward and backward steps, from its layer's Lab formulas. */
  rules: { forward: StepRule; backward: StepRule };
}

/** What every result says about the network it was computed on. */
export interface ResultContext {
  loss: LossType;
  /** Where the weights came from, and after how many finished epochs. */
  weights: 'run' | 'given' | 'initial';
  epoch: number;
  /** Where the run was with these weights, to the batch (absent for initial weights). */
  at?: RunPosition;
  /** Why the weights are not the ones asked for (the network changed since training). */
  note?: string;
  /** How many weights moved by hand are in these (edits that fit the network). */
  moved?: number;
  nodes: NodeInfo[];
}

export interface PointSet {
  /** x, y pairs. */
  xy: Float32Array;
  /** Class index, or target value, per point. */
  label: Float32Array;
  /** How many points the set has in all (only the first ones are sent). */
  total: number;
}

export interface BoundaryResult {
  view: 'boundary';
  kind: BoundaryKind;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  nx: number;
  ny: number;
  values: Float32Array;
  classes: Int32Array | null;
  classCount: number;
  min: number;
  max: number;
  train: PointSet;
  test: PointSet;
  classNames: string[] | null;
  featureNames: string[];
}

export interface NodeSlice {
  id: string;
  /** Activations of the first samples: samples × neurons. */
  output: Matrix;
  /** The loss's gradient at the node's output (δ⁽ᵏ⁾ at a linear layer), same layout; null where no gradient flows. */
  delta: Matrix | null;
}

export interface DenseWeights {
  node: string;
  input: string;
  out: number;
  in: number;
  /** W, row-major [out, in]. */
  weight: Float32Array;
}

export interface ForwardResult {
  view: 'forward';
  samples: number;
  lossValue: number;
  slices: NodeSlice[];
  /** ‖∂L/∂W‖ for every weight tensor that gets a gradient, for this batch. */
  gradNorms: { name: string; node: string; norm: number }[];
  dense: DenseWeights[];
}

export interface BlameResult {
  view: 'blame';
  samples: number;
  sample: number;
  /** The Dense nodes one can pick from. */
  denseNodes: string[];
  node: string | null;
  blame: {
    node: string;
    inputNode: string;
    out: number;
    in: number;
    weight: Float32Array;
    deltaOut: Float32Array;
    shares: Float32Array;
    passed: Float32Array;
    deltaIn: Float32Array | null;
    /** Activations of both sides for this sample (the neurons' values). */
    inputValues: Float32Array;
    outputValues: Float32Array;
  } | null;
}

/** A matrix cut to its first rows and columns for the message, with the whole one's norm. */
export interface CappedMatrix {
  rows: number;
  cols: number;
  fullRows: number;
  fullCols: number;
  /** Row-major rows × cols: the top-left block. */
  data: Float64Array;
  /** Frobenius norm of the whole matrix. */
  norm: number;
}

export interface JacobianFactorView {
  node: string;
  input: string;
  kind: FactorKind;
  weight?: string;
  matrix: CappedMatrix;
}

export interface JacobianCheckView {
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  worst: { index: number[]; analytic: number; numeric: number };
}

export interface JacobianResult {
  view: 'jacobian';
  /** Every node, in graph order (inputs first), with its values per sample. */
  choices: { id: string; type: string; size: number }[];
  from: string | null;
  to: string | null;
  sample: number;
  samples: number;
  /** The sample's input values. */
  x: Float32Array;
  /** Why ∂to/∂from cannot be shown (same node, not on a path), or null. */
  refusal: string | null;
  network: {
    rows: number;
    cols: number;
    between: string[];
    factors: JacobianFactorView[];
    pathCount: number;
    paths: { nodes: string[]; factors: number[]; product: CappedMatrix }[];
    product: CappedMatrix;
    numeric: CappedMatrix;
    check: JacobianCheckView;
    checkedPath: number;
    pairs: { from: string; to: string; rows: number; cols: number; check: JacobianCheckView }[];
    pairsLeft: number;
    detached: string[];
    eps: number;
    atol: number;
    rtol: number;
    /** Largest rows or columns shown of a matrix. */
    cap: number;
  } | null;
}

export interface MemoryResult {
  view: 'memory';
  /** The batch measured (larger than the training set: its samples taken again). */
  batch: number;
  trainSamples: number;
  /** The step as the network is, with every tensor held (report.held). */
  report: MemoryReport;
  /** The same step without frozen, detach and recompute; null when no node has one. */
  plain: MemoryReport | null;
  /** The recompute segments, each its nodes in order (one segment: one run of nodes). */
  segments: string[][];
}

export interface StepNode {
  output: Matrix;
  delta: Matrix | null;
  /** ∂L/∂W of the node's weights for the batch (first rows/cols), with the norm. */
  weightGrads: { name: string; shape: number[]; norm: number; grad: Matrix }[];
  /** The node's weights (for Dense: W and b), to show what the rule multiplies. */
  weights: { name: string; shape: number[]; value: Matrix }[];
}

export interface StepsResult {
  view: 'steps';
  samples: number;
  lossValue: number;
  order: BackpropStep[];
  byNode: Record<string, StepNode>;
  /** Targets of the batch, as the loss sees them. */
  target: Matrix;
}

export interface GradcheckLayerChoice {
  type: string;
  file: string;
  hasBackward: boolean;
}

export interface GradcheckResultView {
  view: 'gradcheck';
  layers: GradcheckLayerChoice[];
  layer: string | null;
  inShapes: number[][];
  ok: boolean;
  error: string | null;
  tensors: (TensorCheck & { analytic: Float64Array; numeric: Float64Array })[];
}

/** Each neuron's output over the input plane (2-D data), for the builder canvas. */
export interface NeuronsResult {
  view: 'neurons';
  maps: NeuronMaps;
}

export type ViewResult =
  | BoundaryResult
  | ForwardResult
  | BlameResult
  | JacobianResult
  | MemoryResult
  | StepsResult
  | GradcheckResultView
  | NeuronsResult;

export type InspectResult = ViewResult & ResultContext;
