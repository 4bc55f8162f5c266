// Export in the worker, where the plugin code (ONNX mappings, PyTorch code) and the trained
// model live: the current (or last) run's model, or a network compiled again from the weights
// the UI kept (after the worker was replaced, or weights imported from a file).
import type { Normalization } from '../../core/data/normalize';
import type { DataHost } from '../../core/data/resolve';
import { exportModel, exportTrainingFolder } from '../../core/export';
import { loadProjectData } from '../../core/project/prepare';
import { fitData } from '../../core/train/fit';
import { compileProject } from '../../core/graph/compile';
import { parseProject } from '../../core/graph/parse';
import { matchWeights } from '../../core/io/match-weights';
import type { LayerRegistry } from '../../core/layers/registry';
import { Model } from '../../core/model/model';
import type { Trainer } from '../../core/train/trainer';
import { LabError } from '../../core/util/errors';
import type { FromWorker, ToWorker } from './protocol';
import type { NamedTensors } from '../../core/io/named-tensors';
import { toWireError } from './wire';

export type ExportMessage = Extract<ToWorker, { type: 'export' }>;
export type ExportFolderMessage = Extract<ToWorker, { type: 'exportFolder' }>;

export interface ExportContext {
  post(msg: FromWorker, transfer?: Transferable[]): void;
  registry(): LayerRegistry;
  /** The running trainer, else the last one; null before the first run. */
  trainer(): Trainer | null;
  /** A weight set the worker holds, by its key (throws when it is gone). */
  heldWeights(key: string): NamedTensors;
}

/**
 * The model to export and its input normalization: from the given weights when there are some,
 * else the run's model.
 */
function modelFor(
  msg: ExportMessage,
  ctx: ExportContext,
): { model: Model; normalization: Normalization | null } {
  if (msg.weights) {
    if (!msg.project) {
      throw new LabError('USAGE', 'exporting given weights needs the project they belong to');
    }
    const project = parseProject(msg.project);
    const model = new Model(compileProject(project, ctx.registry()), project.training.seed);
    const given = ctx.heldWeights(msg.weights);
    matchWeights(model.weightShapes(), given);
    model.importWeights(given);
    return { model, normalization: msg.normalization ?? null };
  }
  const trainer = ctx.trainer();
  if (!trainer) {
    throw new LabError('USAGE', 'there are no trained weights yet: train first, then export');
  }
  return { model: trainer.model, normalization: trainer.normalization };
}

/** Answers 'exported' with the file's contents (bytes are transferred), or 'error' with the id. */
export function handleExport(msg: ExportMessage, ctx: ExportContext): void {
  try {
    const { model, normalization } = modelFor(msg, ctx);
    const data = exportModel(msg.format, {
      graph: model.graph,
      weights: model.exportWeights(),
      normalization,
    });
    if (typeof data === 'string') ctx.post({ type: 'exported', id: msg.id, data });
    else {
      const bytes = ownBuffer(data);
      ctx.post({ type: 'exported', id: msg.id, data: bytes }, [bytes.buffer as ArrayBuffer]);
    }
  } catch (e) {
    ctx.post({ type: 'error', id: msg.id, error: toWireError(e) });
  }
}

/**
 * Answers 'exportedFolder' with a PyTorch training folder's files: the project compiled, its data
 * loaded and split as for training (raw, with the training split's normalization), the initial
 * weights of its seed. Or 'error'.
 */
export function handleExportFolder(
  msg: ExportFolderMessage,
  ctx: Pick<ExportContext, 'post' | 'registry'> & { host: DataHost },
): void {
  try {
    const project = parseProject(msg.project);
    const graph = compileProject(project, ctx.registry());
    const { data, split, normalization } = loadProjectData(project, ctx.host);
    fitData(graph, data, project.loss.type);
    const files = exportTrainingFolder({
      graph,
      weights: new Model(graph, project.training.seed).exportWeights(),
      project,
      normalization,
      train: split.train,
      test: split.test,
    }).map((f) => ({
      name: f.name,
      data: typeof f.data === 'string' ? f.data : ownBuffer(f.data),
    }));
    const transfer = files.flatMap((f) =>
      typeof f.data === 'string' ? [] : [f.data.buffer as ArrayBuffer],
    );
    ctx.post({ type: 'exportedFolder', id: msg.id, files }, transfer);
  } catch (e) {
    ctx.post({ type: 'error', id: msg.id, error: toWireError(e) });
  }
}

/** A view of a bigger buffer cannot be transferred alone: copy it out first. */
function ownBuffer(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}
