import { expectedWeights } from '../core/export';
import { compileProject } from '../core/graph/compile';
import { matchWeights } from '../core/io/match-weights';
import { Model, type WeightMap } from '../core/model/model';
import { join } from 'node:path';
import type { Normalization } from '../core/data/normalize';
import type { Project } from '../core/graph/schema';
import { loadProjectData } from '../core/project/prepare';
import { LabError } from '../core/util/errors';
import {
  type CommandSpec,
  flagOption,
  intOption,
  listOption,
  type ParsedArgs,
  stringOption,
} from './args';
import type { Command } from './command';
import { inFile } from './errors';
import { exportFormatOf, pythonWeightsNote, renderExports } from './export-files';
import { nodeHost, readUserText } from './host';
import { parseProjectDocumentText } from '../core/project/document';
import { savedWeights } from './trained-project';
import type { CliIo } from './io';
import { projectInputs, refuseOverwritingInputs } from './outputs';
import { loadRegistry, PLUGIN_OPTIONS, pluginFilesOf } from './plugins';
import { MEMORY_BUDGET_OPTION } from './memory-budget';
import { isFolderTarget, writeFolder } from './training-folder';
import { readWeightsFile, weightsFormatOf, writeOutput } from './weights-files';
import { exportTrainingFolder, type FolderFile } from '../core/export';

export const exportSpec: CommandSpec = {
  name: 'export',
  summary:
    'Export a network without training: weights, an ONNX model, PyTorch code or a PyTorch training folder.',
  positionals: [{ name: 'PROJECT', description: 'the project file (.json)' }],
  options: {
    out: {
      kind: 'string',
      value: 'FILE|DIR/',
      multiple: true,
      description:
        'write FILE; its extension picks the format (.safetensors, .json, .onnx, .py); DIR/ (a folder) gets a PyTorch training folder',
    },
    weights: {
      kind: 'string',
      value: 'W.safetensors',
      description:
        "the weights to export (.safetensors or .json); default: the training saved in the project, else a fresh init from the project's seed",
    },
    seed: {
      kind: 'string',
      value: 'S',
      description: "initialise from seed S instead of the project's",
    },
    ...PLUGIN_OPTIONS,
    'memory-budget': MEMORY_BUDGET_OPTION,
    quiet: { kind: 'flag', description: 'print nothing but errors' },
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: [
    'Exit codes: 0 exported, 2 bad input (a format that cannot express the network, weights that do not match it), 70 internal error.',
    'Example: backprop-lab export examples/xor.json --weights xor.safetensors --out xor.onnx --out xor.py',
    'A training folder (model.py, train.py, the data split, the initial weights, README.md) trains in PyTorch as the engine does:',
    '  backprop-lab export examples/xor.json --out xor-pytorch/ && python3 xor-pytorch/train.py',
  ],
};

export const exportCommand: Command = { spec: exportSpec, run: exportNetwork };

async function exportNetwork(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  const quiet = flagOption(args, 'quiet');
  const outs = listOption(args, 'out');
  const weightsFile = stringOption(args, 'weights');
  const seed = intOption(args, 'seed', -Infinity);
  if (outs.length === 0) {
    throw new LabError(
      'USAGE',
      "export needs at least one --out FILE (.safetensors, .json, .onnx or .py) or --out DIR/ (see 'backprop-lab export --help')",
    );
  }
  const folders = outs.filter(isFolderTarget);
  const files = outs.filter((o) => !isFolderTarget(o));
  for (const out of files) exportFormatOf(out, 'out');
  if (weightsFile !== undefined) weightsFormatOf(weightsFile, 'weights');

  const document = parseProjectDocumentText(readUserText(file, 'project'), file);
  const parsed = document.project;
  const project =
    seed === undefined ? parsed : { ...parsed, training: { ...parsed.training, seed } };
  const warn = (line: string) => void (quiet || io.err.write(`${line}\n`));
  const plugins = pluginFilesOf(project, file, args);
  refuseOverwritingInputs(
    outs.map((o) => ({ file: o, what: '--out' })),
    [
      ...projectInputs(project, file, plugins),
      ...(weightsFile !== undefined ? [{ file: weightsFile, what: 'the --weights file' }] : []),
    ],
  );
  const registry = await loadRegistry(plugins, warn);
  const graph = await inFile(file, () => compileProject(project, registry));
  if (!quiet) for (const w of graph.warnings) io.err.write(`warning: ${file}: ${w}\n`);

  let weights: WeightMap;
  const trained = document.trained !== null || document.trainedError !== null;
  let normalization: Normalization | null = null;
  if (weightsFile !== undefined) {
    const read = await readWeightsFile(weightsFile, 'weights');
    weights = read.tensors;
    normalization = read.normalization;
    await inFile(weightsFile, () => matchWeights(expectedWeights(graph), weights));
    if (trained && !quiet) {
      io.err.write(`note: exporting the weights of ${weightsFile}, not those saved in ${file}\n`);
    }
  } else if (trained) {
    const saved = await savedWeights(graph, expectedWeights(graph), document, file);
    weights = saved.weights;
    normalization = saved.normalization;
  } else {
    weights = new Model(graph, project.training.seed).exportWeights();
    if (!quiet) {
      io.err.write(
        `note: no --weights given: exporting the initial weights from seed ${project.training.seed}\n`,
      );
    }
  }
  // A trained project's statistics came with its weights (null: it was trained on raw inputs).
  if (files.length > 0 && !(trained && weightsFile === undefined)) {
    normalization = await inputNormalization(project, file, weightsFile, normalization, warn);
  }
  // Everything is made before anything is written: a network one target cannot express leaves
  // no half-done set.
  const contents = await renderExports(files, { graph, weights, project, normalization });
  const folder: FolderFile[] =
    folders.length > 0 ? await trainingFolder(project, file, { graph, weights, project }) : [];
  files.forEach((f, i) => writeOutput(f, contents[i], 'export'));
  for (const dir of folders) writeFolder(dir, folder);
  if (!quiet) {
    const note = pythonWeightsNote(files);
    if (note) io.err.write(note);
    for (const out of outs) io.out(`wrote ${out}\n`);
    if (folders.length > 0) {
      io.out(`train it in PyTorch: python3 ${join(folders[0], 'train.py')} (see its README.md)\n`);
    }
  }
  return 0;
}

/**
 * A PyTorch training folder: the data as training loads and splits it (raw features, and the
 * normalization of the training split, which the folder's model applies), these initial weights.
 */
async function trainingFolder(
  project: Project,
  file: string,
  input: Omit<Parameters<typeof exportTrainingFolder>[0], 'train' | 'test' | 'normalization'>,
): Promise<FolderFile[]> {
  return inFile(file, () => {
    const { split, normalization } = loadProjectData(project, nodeHost(file));
    return exportTrainingFolder({ ...input, normalization, train: split.train, test: split.test });
  });
}

/**
 * The statistics the export's network takes its raw inputs through: those the weights file was
 * trained with; else, when the project normalizes, its training split's (what training computes).
 */
export async function inputNormalization(
  project: Project,
  projectFile: string,
  weightsFile: string | undefined,
  fromWeights: Normalization | null,
  warn: (line: string) => void,
): Promise<Normalization | null> {
  const wanted = project.data.normalize ?? 'none';
  if (fromWeights) {
    if (fromWeights.kind !== wanted) {
      warn(
        `warning: ${weightsFile} was trained with data.normalize "${fromWeights.kind}" but ${projectFile} says "${wanted}": using the statistics in ${weightsFile}`,
      );
    }
    return fromWeights;
  }
  if (wanted === 'none') return null;
  const { normalization } = await inFile(projectFile, () =>
    loadProjectData(project, nodeHost(projectFile)),
  );
  warn(
    `note: ${weightsFile ?? 'the initial weights'} carry no normalization statistics: "${wanted}" computed from the training split of ${projectFile}'s data`,
  );
  return normalization;
}
