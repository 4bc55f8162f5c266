/**
 * A PyTorch training folder: everything needed to train the network in PyTorch as the engine
 * trains it, with nothing but torch and numpy — the model module, train.py, the data as the
 * engine splits it, the initial weights, the hyperparameters and a README. The files are
 * returned as contents; the host writes them (the command line, or the app's main process).
 */
import type { Dataset } from '../../data/dataset';
import { type Normalization, normalizationJson } from '../../data/normalize';
import type { CompiledGraph } from '../../graph/compile';
import type { Project } from '../../graph/schema';
import { writeSafetensors } from '../../io/safetensors';
import { makeWeightsMetadata } from '../../io/weights-metadata';
import { dropoutSeed, shuffleSeed } from '../../train/sample-order';
import { fitData } from '../../train/fit';
import { LabError } from '../../util/errors';
import { checkWeights, isPluginNode, type ExportInput } from '../export-input';
import { exportPytorch } from '../pytorch/export-pytorch';
import { LAB_RNG_PY } from './lab-rng-py';
import { folderReadme } from './readme';
import { TRAIN_PY } from './train-py';

export const TRAINING_CONFIG_FORMAT = 'backprop-lab.pytorch-training';
export const TRAINING_DATA_FORMAT = 'backprop-lab.pytorch-data';

/**
 * The network, its initial weights, and the data as the engine loads and splits it: raw
 * features (loadProjectData's split), with `normalization` the statistics of the training split
 * when the project normalizes. The folder's model applies them, as the engine does before the
 * first layer, so train.py feeds it raw features.
 */
export interface TrainingFolderInput extends ExportInput {
  /** The engine's training split, raw. */
  train: Dataset;
  /** The engine's test split, raw; may be empty. */
  test: Dataset;
}

/** One file of the folder: its name (no sub-folders) and its contents. */
export interface FolderFile {
  name: string;
  data: Uint8Array | string;
}

/** What train.py reads from training.json (documented in docs/moving-to-pytorch.md). */
export interface TrainingConfig {
  format: typeof TRAINING_CONFIG_FORMAT;
  version: 1;
  name: string;
  loss: Project['loss']['type'];
  /** Class indices (CrossEntropy on one column) or rows shaped `shape` per sample. */
  targets: { kind: 'index' | 'rows'; shape: number[] };
  inputShape: number[];
  outputShape: number[];
  /** The targets are classes (accuracy is counted even for MSE). */
  classTargets: boolean;
  optimizer: Project['training']['optimizer'];
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  seed: number;
  /** Seeds of the engine's two generators for this run (core/train/sample-order.ts). */
  shuffleSeed: number;
  dropoutSeed: number;
  /** Weights that get gradients, by their engine names; the others stay as they are. */
  trainable: string[];
  /** Batch size of the evaluation passes, as the engine's (at least 256). */
  evalBatchSize: number;
  trainSamples: number;
  testSamples: number;
  /**
   * data.normalize's statistics of the training split, which model.py's Net applies to the raw
   * features before its first layer (null when the project does not normalize).
   */
  normalization: Normalization | null;
}

/** The files in the order a listing shows them. */
export const FOLDER_FILES = [
  'README.md',
  'train.py',
  'model.py',
  'lab_rng.py',
  'training.json',
  'project.json',
  'data.safetensors',
  'initial.safetensors',
] as const;

/**
 * The folder's files. Throws LabError before making anything when a plugin layer has no PyTorch
 * code (naming every such layer and node), and LabError('WEIGHTS') when the weights do not fit.
 *
 * @example const files = exportTrainingFolder({ graph, weights: model.exportWeights(), train, test });
 */
export function exportTrainingFolder(input: TrainingFolderInput): FolderFile[] {
  const { graph, train, test } = input;
  refuseUnported(graph);
  checkWeights(input);
  const project = input.project ?? graph.project;
  const normalization = input.normalization ?? null;
  const config = trainingConfig(graph, project, train, test, normalization);
  const files: Record<(typeof FOLDER_FILES)[number], Uint8Array | string> = {
    'README.md': folderReadme(graph, project, config),
    'train.py': TRAIN_PY,
    'model.py': exportPytorch({ ...input, project, normalization }),
    'lab_rng.py': LAB_RNG_PY,
    'training.json': `${JSON.stringify(config, null, 2)}\n`,
    'project.json': `${JSON.stringify(project, null, 2)}\n`,
    'data.safetensors': dataFile(graph, train, test, normalization),
    'initial.safetensors': writeSafetensors(
      input.weights,
      makeWeightsMetadata(project, normalization),
    ),
  };
  return FOLDER_FILES.map((name) => ({ name, data: files[name] }));
}

/** A folder name for a save dialog or a download: `XOR net` → `xor-net-pytorch`. */
export function suggestedFolderName(projectName: string): string {
  const base = projectName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'network'}-pytorch`;
}

function trainingConfig(
  graph: CompiledGraph,
  project: Project,
  train: Dataset,
  test: Dataset,
  normalization: Normalization | null,
): TrainingConfig {
  const targetShape = fitData(graph, train, project.loss.type)(1).slice(1);
  const t = project.training;
  return {
    format: TRAINING_CONFIG_FORMAT,
    version: 1,
    name: project.name,
    loss: project.loss.type,
    targets: { kind: targetShape.length === 0 ? 'index' : 'rows', shape: targetShape },
    inputShape: graph.input.outShape.slice(),
    outputShape: graph.output.outShape.slice(),
    classTargets: train.numClasses !== undefined,
    optimizer: { ...t.optimizer },
    batchSize: t.batchSize,
    epochs: t.epochs,
    shuffle: t.shuffle,
    seed: t.seed,
    shuffleSeed: shuffleSeed(t.seed),
    dropoutSeed: dropoutSeed(t.seed),
    trainable: graph.nodes
      .filter((n) => n.trainable)
      .flatMap((n) => Object.keys(n.weights).map((w) => `${n.id}.${w}`)),
    evalBatchSize: Math.max(t.batchSize, 256),
    trainSamples: train.n,
    testSamples: test.n,
    normalization: normalization && { ...normalization },
  };
}

/**
 * The split as the engine loads it: `train.x` [n, …input shape] (raw features), `train.y`
 * [n, columns]; the metadata names the columns and holds the normalization, if any.
 */
function dataFile(
  graph: CompiledGraph,
  train: Dataset,
  test: Dataset,
  normalization: Normalization | null,
): Uint8Array {
  const inShape = graph.input.outShape;
  const part = (ds: Dataset) => ({
    x: { shape: [ds.n, ...inShape], data: ds.x },
    y: { shape: [ds.n, ds.yDim], data: ds.y },
  });
  const a = part(train),
    b = part(test);
  return writeSafetensors(
    { 'train.x': a.x, 'train.y': a.y, 'test.x': b.x, 'test.y': b.y },
    {
      format: TRAINING_DATA_FORMAT,
      version: '1',
      name: train.name,
      featureNames: JSON.stringify(train.featureNames),
      targetNames: JSON.stringify(train.targetNames),
      ...(train.classNames ? { classNames: JSON.stringify(train.classNames) } : {}),
      ...(normalization ? { normalization: normalizationJson(normalization) } : {}),
    },
  );
}

/**
 * Every node whose layer has no PyTorch code (its definition's `pytorch`), named in one error:
 * those layers must be ported before the folder could train. The entry has none (it is the input).
 */
function refuseUnported(graph: CompiledGraph): void {
  const missing = graph.nodes.filter((n) => !n.def.entry && n.def.pytorch === undefined);
  if (missing.length === 0) return;
  const problems = missing.map((n) =>
    isPluginNode(n)
      ? `node '${n.id}' uses the plugin layer ${n.type} (from ${n.source}), which has no PyTorch code: ` +
        `port its forward() to a pytorch field of its definition (see plugins/README.md) before exporting a training folder`
      : `node '${n.id}' uses the layer ${n.type}, which has no PyTorch code: ` +
        `give its definition a pytorch field (see docs/adding-a-layer.md) before exporting a training folder`,
  );
  const plugins = missing.every(isPluginNode) ? 'plugin ' : '';
  throw new LabError(
    isPluginNode(missing[0]) ? 'PLUGIN' : 'OP',
    problems.length === 1
      ? problems[0]
      : `${problems.length} ${plugins}layers must be ported to PyTorch first: ${problems.join('; ')}`,
    {
      node: missing[0].id,
      plugin: isPluginNode(missing[0]) ? missing[0].source : undefined,
      phase: 'export',
    },
    problems,
  );
}
