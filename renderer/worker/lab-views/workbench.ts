// The worker's copy of the network for the Lab views: compiled from the project the UI shows,
// with the data split as training splits it, and weights taken from the run (or given, or a
// fresh initialisation). Kept between requests while the project stays the same.
import type { Dataset } from '../../../core/data/dataset';
import type { CompiledGraph } from '../../../core/graph/compile';
import type { Project } from '../../../core/graph/schema';
import { labNotation } from '../../../core/inspect/lab-rules';
import { layerIndices } from '../../../core/inspect/steps';
import type { LossType } from '../../../core/losses';
import type { Model, WeightMap } from '../../../core/model/model';
import { Tensor, sizeOf } from '../../../core/tensor/tensor';
import { gatherBatch } from '../../../core/train/batch';
import { fitData } from '../../../core/train/fit';
import type { Trainer } from '../../../core/train/trainer';
import type { Matrix, NodeInfo } from '../../lab/inspect-types';
import { notation } from '../../lab/rules';

export interface Workbench {
  project: Project;
  graph: CompiledGraph;
  /** The trainer's model: its weights are overwritten with the ones a request asks for. */
  model: Model;
  /** A trainer over `model`, for measuring a step's memory (never stepped). */
  trainer: Trainer;
  train: Dataset;
  test: Dataset;
  loss: LossType;
  targetShape: (b: number) => number[];
  /** The weights a fresh run starts from. */
  initial: WeightMap;
  nodes: NodeInfo[];
}

export function makeWorkbench(
  project: Project,
  prepared: { graph: CompiledGraph; train: Dataset; test: Dataset; trainer: Trainer },
): Workbench {
  const { graph, train, test, trainer } = prepared;
  const nodes = describeNodes(graph, project.loss.type);
  return {
    project,
    graph,
    model: trainer.model,
    trainer,
    train,
    test,
    loss: project.loss.type,
    targetShape: fitData(graph, train, project.loss.type),
    initial: trainer.model.exportWeights(),
    nodes,
  };
}

/** The first `n` training samples, in data order (the same batch every time). */
export function firstBatch(wb: Workbench, n: number): { x: Tensor; y: Tensor; size: number } {
  const size = Math.max(1, Math.min(n, wb.train.n));
  const order = Int32Array.from({ length: size }, (_, i) => i);
  const { x, y } = gatherBatch(wb.train, order, 0, size, wb.graph.input.outShape, wb.targetShape);
  return { x, y, size };
}

/** Whether `given` has exactly the model's weight names and shapes. */
export function weightsFit(model: Model, given: WeightMap): boolean {
  const want = model.weightShapes();
  const names = Object.keys(want);
  if (names.length !== Object.keys(given).length) return false;
  return names.every((k) => {
    const g = given[k];
    return !!g && g.shape.length === want[k].length && g.shape.every((d, i) => d === want[k][i]);
  });
}

/** The first rows and columns of a tensor seen as [batch, features]. */
export function toMatrix(t: Tensor, maxRows: number, maxCols: number): Matrix {
  const rows = Math.min(t.shape[0] ?? 1, maxRows);
  const fullCols = sizeOf(t.shape.slice(1));
  return sliceMatrix(t.data, t.shape[0] ?? 1, fullCols, rows, maxCols);
}

/** A [rows, cols] corner of a row-major matrix of width `width`. */
export function sliceMatrix(
  data: ArrayLike<number>,
  height: number,
  width: number,
  maxRows: number,
  maxCols: number,
): Matrix {
  const rows = Math.min(height, maxRows);
  const cols = Math.min(width, maxCols);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[r * width + c];
  return { rows, cols, fullCols: width, data: out };
}

/** The Euclidean norm of all values. */
export function norm(data: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i] * data[i];
  return Math.sqrt(s);
}

/** The nodes as the Lab sees them: each with its layer index and the lecture's notation. */
export function describeNodes(graph: CompiledGraph, loss: LossType): NodeInfo[] {
  const k = layerIndices(graph);
  const notations = labNotation(graph, notation(graph.output.id, loss));
  return graph.nodes.map((n) => {
    const o = notations.get(n.id)!;
    return {
      id: n.id,
      type: n.type,
      k: k.get(n.id) ?? 0,
      inputs: n.inputs.slice(),
      outShape: n.outShape.slice(),
      source: n.source,
      entry: n.def.entry === true,
      hasBackward: typeof n.def.backward === 'function',
      frozen: n.frozen,
      detach: n.detach,
      memory: n.memory,
      trainable: n.trainable,
      sameUnits: n.def.lab?.sameUnits === true,
      linear: n.def.lab?.linear !== undefined,
      symbol: o.symbol,
      deltaSymbol: o.delta,
      cancels: o.cancels,
      rules: { forward: o.forward, backward: o.backward },
    };
  });
}
