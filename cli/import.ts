import { extname } from 'node:path';
import { importOnnx } from '../core/import/import-onnx';
import { writeSafetensors } from '../core/io/safetensors';
import { makeWeightsMetadata } from '../core/io/weights-metadata';
import { LabError } from '../core/util/errors';
import { type CommandSpec, flagOption, type ParsedArgs, stringOption } from './args';
import { writeOutput } from './weights-files';
import type { Command } from './command';
import { inFile } from './errors';
import { readUserBytes } from './host';
import type { CliIo } from './io';

export const importSpec: CommandSpec = {
  name: 'import',
  summary: 'Turn an ONNX model made of the engine’s operators into a project with its weights.',
  positionals: [{ name: 'MODEL', description: 'the model (.onnx)' }],
  options: {
    out: {
      kind: 'string',
      value: 'PROJECT.json',
      description: 'write the project here, and its weights beside it as PROJECT.safetensors',
    },
    quiet: { kind: 'flag', description: 'print nothing but errors' },
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: [
    'Operators: Gemm, MatMul (+ Add of a bias), Sigmoid, Tanh, Relu, LeakyRelu, Softmax, Add, Concat, Dropout, Identity, and Sub/Div of the input (a normalization, folded into the first Dense layers). Anything else is refused, naming the node and its operator.',
    'Exit codes: 0 imported, 2 bad input (a node the engine cannot express), 70 internal error.',
    'Example: backprop-lab import model.onnx --out model.json && backprop-lab train model.json --init model.safetensors',
  ],
};

export const importCommand: Command = { spec: importSpec, run: importModel };

async function importModel(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  const out = stringOption(args, 'out');
  const quiet = flagOption(args, 'quiet');
  if (out === undefined) {
    throw new LabError(
      'USAGE',
      "import needs --out PROJECT.json (see 'backprop-lab import --help')",
    );
  }
  if (extname(out).toLowerCase() !== '.json') {
    throw new LabError('USAGE', `${out}: --out: the project is a .json file`, { file: out });
  }
  const bytes = readUserBytes(file, 'model');
  const imported = await inFile(file, () => importOnnx(bytes, file));
  const weightsFile = `${out.slice(0, -extname(out).length)}.safetensors`;
  const weights = writeSafetensors(
    imported.weights,
    makeWeightsMetadata(imported.project, imported.normalization),
  );
  writeOutput(out, `${JSON.stringify(imported.project, null, 2)}\n`, 'project');
  writeOutput(weightsFile, weights, 'weights');
  if (!quiet) {
    for (const n of imported.notes) io.err.write(`note: ${n}\n`);
    io.out(`wrote ${out}\nwrote ${weightsFile}\n`);
    io.out(`train from these weights: backprop-lab train ${out} --init ${weightsFile}\n`);
  }
  return 0;
}
