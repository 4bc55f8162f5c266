import { formatInteger } from '../core/util/number-format';
import { scaleHint, scaleSpread } from '../core/data/scales';
import type { Project } from '../core/graph/schema';
import type { Prepared } from '../core/project/prepare';
import type { Trainer } from '../core/train/trainer';
import { LabError, isLabError } from '../core/util/errors';
import { splitProducts } from '../core/ops/kernels/gemm-threads';
import { useTwoThreads } from './gemm-threads';
import {
  type CommandSpec,
  flagOption,
  intOption,
  listOption,
  type ParsedArgs,
  stringOption,
} from './args';
import type { Command } from './command';
import type { CliIo } from './io';
import { openProject } from './open-project';
import { PLUGIN_OPTIONS } from './plugins';
import { fmtLoss, pct, Progress } from './progress';
import { makeReport, reportJson } from './report';
import { exportFormatOf, pythonWeightsNote, renderExports, writeExports } from './export-files';
import { MEMORY_BUDGET_OPTION } from './memory-budget';
import { initWeights, weightsFormatOf, writeOutput } from './weights-files';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary: 'Train a project headless, then export its weights and a report.',
  positionals: [{ name: 'PROJECT', description: 'the project file (.json)' }],
  options: {
    epochs: { kind: 'string', value: 'N', description: "train N epochs instead of the project's" },
    seed: { kind: 'string', value: 'S', description: "use seed S instead of the project's" },
    ...PLUGIN_OPTIONS,
    'memory-budget': MEMORY_BUDGET_OPTION,
    init: {
      kind: 'string',
      value: 'W.safetensors',
      description: 'start from these weights (.safetensors or .json) instead of a fresh init',
    },
    export: {
      kind: 'string',
      value: 'FILE',
      multiple: true,
      description: 'write the trained network (.safetensors, .json, .onnx or .py)',
    },
    report: { kind: 'string', value: 'FILE.json', description: 'write loss, memory and timing' },
    threads: {
      kind: 'string',
      value: 'N',
      description: 'threads per large matrix product: 1 or 2 (default 2)',
    },
    quiet: { kind: 'flag', description: 'print nothing but errors' },
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: [
    'Exit codes: 0 trained, 1 training diverged, 2 bad input, 70 internal error.',
    'Example: backprop-lab train examples/xor.json --epochs 50 --export xor.safetensors',
  ],
};

export const trainCommand: Command = { spec: trainSpec, run: train };

async function train(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  const quiet = flagOption(args, 'quiet');
  const exports = listOption(args, 'export');
  const init = stringOption(args, 'init');
  const reportFile = stringOption(args, 'report');
  const threads = intOption(args, 'threads', 1) ?? 2;
  if (threads > 2) throw new LabError('USAGE', `option --threads must be 1 or 2, got '${threads}'`);
  // Refuse unsupported formats before spending time on training.
  for (const e of exports) exportFormatOf(e, 'export');
  if (init !== undefined) weightsFormatOf(init, 'init');

  const { project, prepared } = await openProject({
    file,
    epochs: intOption(args, 'epochs', 0),
    seed: intOption(args, 'seed', -Infinity),
    plugins: listOption(args, 'plugin'),
    allowPlugins: listOption(args, 'allow-plugin'),
    outputs: [
      ...exports.map((e) => ({ file: e, what: '--export' })),
      ...(reportFile !== undefined ? [{ file: reportFile, what: '--report' }] : []),
    ],
    inputs: init !== undefined ? [{ file: init, what: 'the --init weights' }] : [],
  });
  const { trainer } = prepared;
  if (!quiet) for (const w of prepared.graph.warnings) io.err.write(`warning: ${file}: ${w}\n`);
  if (!quiet && (project.data.normalize ?? 'none') === 'none') {
    const { data } = prepared;
    const hint = scaleHint(scaleSpread(data.x, data.inDim, data.featureNames));
    if (hint) io.err.write(`note: ${file}: ${hint} Set "normalize": "standardize" in its data.\n`);
  }
  if (init !== undefined) await initWeights(trainer.model, init);
  const exportOf = () => ({
    graph: prepared.graph,
    weights: trainer.model.exportWeights(),
    project,
    normalization: trainer.normalization,
  });
  // A network that an export cannot express (a plugin without ONNX mapping) fails now, not after training.
  await renderExports(exports, exportOf());

  const threadsUsed = threads === 2 ? useTwoThreads().threads : 1;
  const splitBefore = splitProducts();
  const run: RunResult = {
    ...runTraining(trainer, project.training.epochs, quiet ? null : io),
    threads: threadsUsed,
  };
  run.splitProducts = splitProducts() - splitBefore;
  const report = { file: reportFile, projectFile: file, project, prepared, run };
  if (run.error !== null) {
    // A diverged run still leaves its history behind: that is what one wants to look at.
    const e = run.error;
    if (isLabError(e) && e.code === 'NON_FINITE') writeReport(report, [], e);
    throw e;
  }
  await writeExports(exports, exportOf());
  writeReport(report, exports);
  if (!quiet) {
    io.err.write(pythonWeightsNote(exports) ?? '');
    io.out(summary(project, prepared, run));
    for (const e of [...exports, ...(reportFile ? [reportFile] : [])]) io.out(`wrote ${e}\n`);
  }
  return 0;
}

interface RunResult {
  /** Threads per large matrix product (1 where a second one could not start). */
  threads?: number;
  /** Products shared between the two threads during the run. */
  splitProducts?: number;
  seconds: number;
  samples: number;
  /** What stopped the run early, or null. */
  error: unknown;
}

/** The loop, timed; progress on stderr unless quiet. */
function runTraining(trainer: Trainer, epochs: number, io: CliIo | null): RunResult {
  const progress = io ? new Progress(epochs, io.err) : null;
  const t0 = performance.now();
  let samples = 0;
  let error: unknown = null;
  try {
    while (!trainer.finished) {
      const r = trainer.step();
      samples += r.samples;
      const seconds = (performance.now() - t0) / 1000;
      progress?.step(r, seconds > 0 ? samples / seconds : 0);
    }
  } catch (e) {
    error = e;
  } finally {
    progress?.finish();
  }
  return { seconds: (performance.now() - t0) / 1000, samples, error };
}

function writeReport(
  r: { file?: string; projectFile: string; project: Project; prepared: Prepared; run: RunResult },
  exports: string[],
  error?: LabError,
): void {
  if (r.file === undefined) return;
  const { trainer, train, test } = r.prepared;
  const report = makeReport({
    project: r.project,
    projectFile: r.projectFile,
    parameters: trainer.model.paramCount,
    history: trainer.history,
    initial:
      trainer.history.length === 0
        ? { train: trainer.evaluate(train), test: test.n ? trainer.evaluate(test) : null }
        : null,
    memory: trainer.measureMemory(),
    memoryBatch: Math.min(r.project.training.batchSize, train.n),
    seconds: r.run.seconds,
    samples: r.run.samples,
    threads: r.run.threads ?? 1,
    splitProducts: r.run.splitProducts ?? 0,
    exports,
    normalization: trainer.normalization,
    features: train.featureNames,
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
  });
  writeOutput(r.file, reportJson(report), 'report');
}

function summary(project: Project, prepared: Prepared, { seconds, samples }: RunResult): string {
  const { trainer } = prepared;
  const last = trainer.history.at(-1);
  const rate = seconds > 0 ? formatInteger(samples / seconds) : '-';
  const head = `${project.name}: ${trainer.history.length} epoch${trainer.history.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s (${rate} samples/s)`;
  if (!last) return `${head}\n`;
  const parts = [`loss ${fmtLoss(last.trainLoss)}`];
  if (last.testLoss !== null) parts.push(`test loss ${fmtLoss(last.testLoss)}`);
  if (last.trainAccuracy !== null) parts.push(`accuracy ${pct(last.trainAccuracy)}`);
  if (last.testAccuracy !== null) parts.push(`test accuracy ${pct(last.testAccuracy)}`);
  return `${head}\n  ${parts.join('  ')}\n`;
}
