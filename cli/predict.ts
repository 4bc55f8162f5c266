import { parseFeatureCsv } from '../core/data/csv';
import { compileProject } from '../core/graph/compile';
import { matchWeights } from '../core/io/match-weights';
import { LOSS_DEFINITIONS } from '../core/losses';
import type { Normalization } from '../core/data/normalize';
import { Model } from '../core/model/model';
import { predict, predictionsCsv } from '../core/project/predict';
import { loadProjectData } from '../core/project/prepare';
import { sizeOf } from '../core/tensor/tensor';
import { LabError } from '../core/util/errors';
import { type CommandSpec, flagOption, type ParsedArgs, stringOption } from './args';
import type { Command } from './command';
import { inFile } from './errors';
import { inputNormalization } from './export';
import { nodeHost, readUserText } from './host';
import { parseProjectDocumentText } from '../core/project/document';
import { savedWeights } from './trained-project';
import type { CliIo } from './io';
import { projectInputs, refuseOverwritingInputs } from './outputs';
import { loadRegistry, PLUGIN_OPTIONS, pluginFilesOf } from './plugins';
import { MEMORY_BUDGET_OPTION } from './memory-budget';
import { readWeightsFile, writeOutput } from './weights-files';

export const predictSpec: CommandSpec = {
  name: 'predict',
  summary:
    'Apply a trained network to new raw rows of a CSV file: one row of outputs per input row (class and probabilities for classifiers).',
  positionals: [
    { name: 'PROJECT', description: 'the project file (.json) the network belongs to' },
  ],
  options: {
    weights: {
      kind: 'string',
      value: 'W.safetensors',
      description:
        'the trained weights (.safetensors or .json), with their input normalization; default: those saved in a trained project',
    },
    data: {
      kind: 'string',
      value: 'FILE.csv',
      description: "rows with the training data's feature columns (any order; others are ignored)",
    },
    out: {
      kind: 'string',
      value: 'FILE.csv',
      description: 'write the predictions here (default: stdout)',
    },
    ...PLUGIN_OPTIONS,
    'memory-budget': MEMORY_BUDGET_OPTION,
    quiet: { kind: 'flag', description: 'print nothing but errors' },
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: [
    "Columns written: CrossEntropy 'class' and 'p_<class>' per class; BCE and BCEWithLogits the 0/1 class (or its name) and its probability per output; MSE the value per target.",
    "The project's data gives the feature and class names; the weights file's normalization statistics (or, without them, the project's) are applied to the raw rows.",
    'Exit codes: 0 predicted, 2 bad input (a missing feature column, a cell that is not a number, weights that do not fit), 70 internal error.',
    'Example: backprop-lab predict cancer.json --weights cancer.safetensors --data new.csv --out preds.csv',
    'A trained project (train --save, or saved by the app after training) needs no --weights: backprop-lab predict cancer-trained.json --data new.csv',
  ],
};

export const predictCommand: Command = { spec: predictSpec, run: predictRows };

async function predictRows(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  const quiet = flagOption(args, 'quiet');
  const weightsFile = stringOption(args, 'weights');
  const dataFile = stringOption(args, 'data');
  const outFile = stringOption(args, 'out');
  if (dataFile === undefined) {
    throw new LabError(
      'USAGE',
      "predict needs --data FILE.csv (see 'backprop-lab predict --help')",
    );
  }
  const warn = (line: string) => void (quiet || io.err.write(`${line}\n`));

  const document = parseProjectDocumentText(readUserText(file, 'project'), file);
  const project = document.project;
  const trained = document.trained !== null || document.trainedError !== null;
  if (weightsFile === undefined && !trained) {
    throw new LabError(
      'USAGE',
      `predict needs --weights W.safetensors: ${file} holds no saved training (see 'backprop-lab predict --help')`,
    );
  }
  const plugins = pluginFilesOf(project, file, args);
  refuseOverwritingInputs(outFile === undefined ? [] : [{ file: outFile, what: '--out' }], [
    ...projectInputs(project, file, plugins),
    ...(weightsFile !== undefined ? [{ file: weightsFile, what: 'the --weights file' }] : []),
    { file: dataFile!, what: 'the --data file' },
  ]);
  const registry = await loadRegistry(plugins, warn);
  const graph = await inFile(file, () => compileProject(project, registry));
  const model = new Model(graph, project.training.seed);
  // The weights file named, else those saved with the project (and their normalization).
  let read: {
    tensors: Record<string, { shape: number[]; data: Float32Array }>;
    normalization: Normalization | null;
  };
  if (weightsFile !== undefined) {
    read = await readWeightsFile(weightsFile, 'weights');
    await inFile(weightsFile, () => matchWeights(model.weightShapes(), read.tensors));
  } else {
    const saved = await savedWeights(graph, model.weightShapes(), document, file);
    read = { tensors: saved.weights, normalization: saved.normalization };
  }
  model.importWeights(read.tensors);

  // The training data's names (features, targets, classes), as training saw them.
  const { data } = await inFile(file, () => loadProjectData(project, nodeHost(file)));
  const features = data.featureNames;
  if (features.length !== sizeOf(graph.input.outShape)) {
    throw new LabError(
      'DATA',
      `${file}: the data has ${features.length} features but the Input node '${graph.input.id}' takes ${sizeOf(graph.input.outShape)}`,
      { node: graph.input.id },
    );
  }
  const normalization =
    weightsFile === undefined
      ? read.normalization
      : await inputNormalization(project, file, weightsFile, read.normalization, warn);

  const rows = parseFeatureCsv(readUserText(dataFile!, 'data'), { features, file: dataFile });
  const table = predict(model, rows.x, rows.n, normalization, LOSS_DEFINITIONS[project.loss.type], {
    targetNames: data.targetNames,
    classNames: data.classNames,
  });
  const csv = predictionsCsv(table);
  if (outFile === undefined) {
    io.out(csv);
    return 0;
  }
  writeOutput(outFile, csv, 'predictions');
  if (!quiet) io.out(`wrote ${rows.n} prediction${rows.n === 1 ? '' : 's'} to ${outFile}\n`);
  return 0;
}
