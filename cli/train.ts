import { formatInteger } from '../core/util/number-format';
import { scaleHint, scaleSpread } from '../core/data/scales';
import type { Project } from '../core/graph/schema';
import type { Prepared } from '../core/project/prepare';
import type { StepResult, Trainer } from '../core/train/trainer';
import { TRAINING_STEP } from '../core/train/runner';
import { stuckAdvice } from '../core/train/stuck';
import { LOSS_DEFINITIONS } from '../core/losses';
import { sizeOf } from '../core/tensor/tensor';
import { LabError, isLabError } from '../core/util/errors';
import { splitProducts } from '../core/ops/kernels/gemm-threads';
import { chooseOuterBlocks } from '../core/ops/kernels/outer-block';
import {
  DEFAULT_KERNEL_MODE,
  type KernelMode,
  kernelInfo,
  setKernelMode,
} from '../core/ops/kernels/wasm-kernel';
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
import { fmtLoss, pct, ProgressLine } from './progress-line';
import { makeReport, reportJson } from './report';
import { exportFormatOf, pythonWeightsNote, renderExports, writeExports } from './export-files';
import { MEMORY_BUDGET_OPTION } from './memory-budget';
import { STEP_TIMEOUT_OPTION } from './step-timeout';
import { threadActivity } from './thread/current';
import { writeTrainedProject } from './trained-project';
import { initWeights, weightsFormatOf, writeOutput } from './weights-files';

export const trainSpec: CommandSpec = {
  name: 'train',
  summary:
    'Train a project headless (or resume its saved training), then save it with its training, export its weights and a report.',
  positionals: [{ name: 'PROJECT', description: 'the project file (.json)' }],
  options: {
    epochs: {
      kind: 'string',
      value: 'N',
      description: "train N epochs in all instead of the project's (with --resume: continue to N)",
    },
    seed: { kind: 'string', value: 'S', description: "use seed S instead of the project's" },
    ...PLUGIN_OPTIONS,
    'memory-budget': MEMORY_BUDGET_OPTION,
    'step-timeout': STEP_TIMEOUT_OPTION,
    init: {
      kind: 'string',
      value: 'W.safetensors',
      description: 'start from these weights (.safetensors or .json) instead of a fresh init',
    },
    save: {
      kind: 'string',
      value: 'OUT.json',
      description:
        "write the project with its training (weights, optimizer state, epoch, history), to resume or export later; the project's epochs stay as they are",
    },
    resume: {
      kind: 'flag',
      description:
        "continue the training saved in PROJECT where it stopped (to the project's epochs, or --epochs N)",
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
    kernel: {
      kind: 'string',
      value: 'MODE',
      description:
        'matrix kernel: fast (relaxed SIMD where available; the default) or portable (the same bits on every machine)',
    },
    quiet: { kind: 'flag', description: 'print nothing but errors' },
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: [
    'Exit codes: 0 trained, 1 training diverged or a step ran past --step-timeout (nothing is written), 2 bad input, 70 internal error.',
    'Example: backprop-lab train examples/xor.json --epochs 50 --export xor.safetensors',
    'Example: backprop-lab train examples/xor.json --epochs 50 --save xor-trained.json, then backprop-lab train xor-trained.json --resume --save xor-trained.json',
  ],
};

export const trainCommand: Command = { spec: trainSpec, run: train };

async function train(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  const quiet = flagOption(args, 'quiet');
  const exports = listOption(args, 'export');
  const init = stringOption(args, 'init');
  const reportFile = stringOption(args, 'report');
  const saveFile = stringOption(args, 'save');
  const resume = flagOption(args, 'resume');
  const seed = intOption(args, 'seed', -Infinity);
  const threads = intOption(args, 'threads', 1) ?? 2;
  if (threads > 2) throw new LabError('USAGE', `option --threads must be 1 or 2, got '${threads}'`);
  setKernelMode(kernelModeOption(args));
  // Refuse unsupported formats before spending time on training.
  for (const e of exports) exportFormatOf(e, 'export');
  if (init !== undefined) weightsFormatOf(init, 'init');
  if (saveFile !== undefined && !/\.json$/i.test(saveFile)) {
    throw new LabError('USAGE', `${saveFile}: --save writes a project file: give it a .json name`, {
      file: saveFile,
    });
  }
  if (resume && init !== undefined) {
    throw new LabError(
      'USAGE',
      '--init and --resume do not go together: --resume continues from the weights saved in the project',
    );
  }
  if (resume && seed !== undefined) {
    throw new LabError(
      'USAGE',
      '--seed and --resume do not go together: the saved training goes on with its own data split and generators',
    );
  }

  const { project, document, prepared } = await openProject({
    file,
    epochs: intOption(args, 'epochs', 0),
    seed,
    plugins: listOption(args, 'plugin'),
    allowPlugins: listOption(args, 'allow-plugin'),
    outputs: [
      ...exports.map((e) => ({ file: e, what: '--export' })),
      ...(reportFile !== undefined ? [{ file: reportFile, what: '--report' }] : []),
    ],
    inputs: init !== undefined ? [{ file: init, what: 'the --init weights' }] : [],
    resume,
  });
  const { trainer } = prepared;
  if (!quiet) for (const w of prepared.graph.warnings) io.err.write(`warning: ${file}: ${w}\n`);
  if (!quiet && !resume && (document.trained || document.trainedError)) {
    io.err.write(
      document.trained
        ? `note: ${file} holds training to epoch ${document.trained.loop.epoch}: this run starts from the beginning (add --resume to continue it)\n`
        : `note: ${file}: its saved training is not used (${document.trainedError!.message}); this run starts from the beginning\n`,
    );
  }
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

  const resumedAt = trainer.history.length;
  if (!quiet && resume && resumedAt >= project.training.epochs) {
    io.err.write(
      `note: ${file} is already trained to epoch ${resumedAt}: nothing to train (continue with --epochs N, N > ${resumedAt})\n`,
    );
  }
  chooseOuterBlocks(); // by timing, before the timed loop: the same bits either way
  const threadsUsed = threads === 2 ? useTwoThreads().threads : 1;
  const splitBefore = splitProducts();
  const run: RunResult = {
    ...runTraining(trainer, project.training.epochs, quiet ? null : io),
    threads: threadsUsed,
  };
  run.splitProducts = splitProducts() - splitBefore;
  run.kernel = kernelInfo();
  const report = { file: reportFile, projectFile: file, project, prepared, run };
  if (run.error !== null) {
    // A diverged run still leaves its history behind: that is what one wants to look at.
    const e = run.error;
    if (isLabError(e) && e.code === 'NON_FINITE') writeReport(report, [], e);
    if (saveFile !== undefined && !quiet) {
      io.err.write(`note: ${saveFile} was not written: the run failed in the middle of a batch\n`);
    }
    throw e;
  }
  await writeExports(exports, exportOf());
  // The project as planned (its epochs), with the seed it was trained with: --resume goes on.
  if (saveFile !== undefined) {
    const saved = {
      ...document.project,
      training: { ...document.project.training, seed: project.training.seed },
    };
    writeTrainedProject(saveFile, saved, trainer);
  }
  writeReport(report, exports);
  if (!quiet) {
    const stuck = stuckRun(project, prepared);
    if (stuck) io.err.write(`warning: training is stuck: ${stuck}\n`);
    io.err.write(pythonWeightsNote(exports) ?? '');
    io.out(summary(project, prepared, run, resumedAt));
    const written = [
      ...exports,
      ...(saveFile ? [saveFile] : []),
      ...(reportFile ? [reportFile] : []),
    ];
    for (const e of written) io.out(`wrote ${e}\n`);
  }
  return 0;
}

interface RunResult {
  /** Threads per large matrix product (1 where a second one could not start). */
  threads?: number;
  /** Products shared between the two threads during the run. */
  splitProducts?: number;
  /** The kernel mode and the instructions the products ran on. */
  kernel?: ReturnType<typeof kernelInfo>;
  seconds: number;
  samples: number;
  /** What stopped the run early, or null. */
  error: unknown;
}

/** The loop, timed; progress on stderr unless quiet. */
function runTraining(trainer: Trainer, epochs: number, io: CliIo | null): RunResult {
  const progress = io ? new ProgressLine(epochs, io.err) : null;
  const t0 = performance.now();
  let samples = 0;
  let error: unknown = null;
  try {
    // What the watchdog sees (cli/thread/watched.ts): each step, where it is in the run.
    const activity = threadActivity();
    const label = activity?.label(TRAINING_STEP) ?? 0;
    let steps = 0;
    while (!trainer.finished) {
      let r: StepResult;
      if (activity) {
        activity.at(trainer.epoch, ++steps);
        const prev = activity.enter(label);
        try {
          r = trainer.step();
        } finally {
          activity.leave(prev);
        }
      } else r = trainer.step();
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
    kernel: r.run.kernel ?? kernelInfo(),
    exports,
    normalization: trainer.normalization,
    features: train.featureNames,
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
  });
  writeOutput(r.file, reportJson(report), 'report');
}

/** Why the run will not recover though nothing is non-finite (core/train/stuck.ts), or null. */
function stuckRun(project: Project, { trainer, graph }: Prepared): string | null {
  return stuckAdvice(
    trainer.history.map((e) => e.trainLoss),
    LOSS_DEFINITIONS[project.loss.type].guessing(sizeOf(graph.output.outShape)),
    project.training.optimizer.lr,
    'and train again',
  );
}

function summary(
  project: Project,
  prepared: Prepared,
  { seconds, samples }: RunResult,
  resumedAt: number,
): string {
  const { trainer } = prepared;
  const last = trainer.history.at(-1);
  const rate = seconds > 0 ? formatInteger(samples / seconds) : '-';
  const n = trainer.history.length;
  const what =
    resumedAt > 0
      ? `resumed after epoch ${resumedAt}, ${n} epochs in all`
      : `${n} epoch${n === 1 ? '' : 's'}`;
  const head = `${project.name}: ${what} in ${seconds.toFixed(2)} s (${rate} samples/s)`;
  if (!last) return `${head}\n`;
  const parts = [`loss ${fmtLoss(last.trainLoss)}`];
  if (last.testLoss !== null) parts.push(`test loss ${fmtLoss(last.testLoss)}`);
  if (last.trainAccuracy !== null) parts.push(`accuracy ${pct(last.trainAccuracy)}`);
  if (last.testAccuracy !== null) parts.push(`test accuracy ${pct(last.testAccuracy)}`);
  return `${head}\n  ${parts.join('  ')}\n`;
}

/** --kernel fast|portable (the default and its reason: docs/kernels.md). */
function kernelModeOption(args: ParsedArgs): KernelMode {
  const mode = stringOption(args, 'kernel') ?? DEFAULT_KERNEL_MODE;
  if (mode !== 'fast' && mode !== 'portable')
    throw new LabError('USAGE', `option --kernel must be fast or portable, got '${mode}'`);
  return mode;
}
