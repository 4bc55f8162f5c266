import { describeNormalization } from '../core/data/normalize';
import type { CompiledNode } from '../core/graph/compile';
import { float32ToText } from '../core/io/float32-text';
import { formatShape } from '../core/tensor/tensor';
import { LOSS_NODE } from '../core/train/trainer';
import { type CommandSpec, intOption, listOption, type ParsedArgs } from './args';
import type { Command } from './command';
import type { CliIo } from './io';
import { isLabError } from '../core/util/errors';
import { openProject } from './open-project';
import { PLUGIN_OPTIONS } from './plugins';
import { MEMORY_BUDGET_OPTION } from './memory-budget';
import { describeTraining, resumeTrainer } from './trained-project';
import { formatBytesExact, formatTable } from './table';

export const infoSpec: CommandSpec = {
  name: 'info',
  summary:
    'Show every node of a project: output shape, parameter count, trainable/frozen/detach/recompute, and the bytes it keeps for backward in one measured training step.',
  positionals: [{ name: 'PROJECT', description: 'the project file (.json)' }],
  options: {
    batch: {
      kind: 'string',
      value: 'B',
      description: "measure a step with batch size B (default: the project's)",
    },
    ...PLUGIN_OPTIONS,
    'memory-budget': MEMORY_BUDGET_OPTION,
    debug: { kind: 'flag', description: 'show stack traces on errors' },
  },
  notes: ['Example: backprop-lab info examples/digits.json --batch 128'],
};

export const infoCommand: Command = { spec: infoSpec, run: info };

async function info(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file] = args.positionals;
  const batchOption = intOption(args, 'batch', 1);
  const opened = await openProject({
    file,
    plugins: listOption(args, 'plugin'),
    allowPlugins: listOption(args, 'allow-plugin'),
  });
  const { project, prepared, document } = opened;
  const { graph, trainer } = prepared;
  // With its saved training, the network is shown (and measured) with its trained weights.
  let trainedLine = describeTraining(document, project.training.epochs);
  let trainedWarning: string | null = document.trainedError?.message ?? null;
  if (document.trained) {
    try {
      await resumeTrainer(trainer, document, file);
    } catch (e) {
      if (!isLabError(e)) throw e;
      trainedWarning = e.message;
      trainedLine = null;
    }
  }
  const batch = Math.min(batchOption ?? project.training.batchSize, prepared.train.n);
  const memory = trainer.measureMemory(batch);
  const mem = (id: string) => memory.nodes[id] ?? { savedBytes: 0, recomputedBytes: 0, tensors: 0 };
  const anyRecompute = Object.values(memory.nodes).some((m) => m.recomputedBytes > 0);

  const header = ['node', 'type', 'inputs', 'output', 'params', 'flags', 'saved bytes'];
  if (anyRecompute) header.push('recomputed bytes');
  const row = (cells: string[], id: string) =>
    anyRecompute ? [...cells, String(mem(id).recomputedBytes)] : cells;
  const rows = graph.nodes.map((n) =>
    row(
      [
        n.id,
        n.type,
        n.inputs.join(', ') || '-',
        formatShape(n.outShape),
        String(n.paramCount),
        flags(n),
        String(mem(n.id).savedBytes),
      ],
      n.id,
    ),
  );
  rows.push(
    row(
      [
        LOSS_NODE,
        project.loss.type,
        graph.output.id,
        '[]',
        '0',
        '-',
        String(mem(LOSS_NODE).savedBytes),
      ],
      LOSS_NODE,
    ),
  );
  const right = header.map((h) => h === 'params' || h.endsWith('bytes'));

  const total = graph.nodes.reduce((s, n) => s + n.paramCount, 0);
  const trainable = graph.nodes.reduce((s, n) => s + (n.trainable ? n.paramCount : 0), 0);
  const out = [
    `${project.name} (${file}): ${graph.nodes.length} nodes, ${total} parameters (${trainable} trainable), input ${formatShape(graph.input.outShape)}, output ${formatShape(graph.output.outShape)}, ${project.loss.type} loss`,
    ...(trainedLine ? [trainedLine] : []),
    `Memory for backward, measured in one training step with batch ${batch}:`,
    '',
    formatTable(header, rows, right),
    `peak saved for backward: ${formatBytesExact(memory.peakSavedBytes)}`,
    `held when the forward pass ended: ${formatBytesExact(memory.afterForwardBytes)}`,
  ];
  const norm = prepared.normalization;
  if (norm) {
    out.push(
      '',
      `Input normalization (data.normalize "${norm.kind}"), statistics of the ${prepared.train.n} training samples: ${describeNormalization(norm).replace(/^\w+: /, '')}`,
      '',
      formatTable(
        [
          'feature',
          norm.kind === 'standardize' ? 'mean' : 'min',
          norm.kind === 'standardize' ? 'std' : 'max − min',
        ],
        norm.offset.map((o, j) => [
          prepared.train.featureNames[j] ?? `x${j + 1}`,
          float32ToText(o),
          float32ToText(norm.scale[j]),
        ]),
        [false, true, true],
      ).trimEnd(),
    );
  }
  for (const w of graph.warnings) out.push(`warning: ${w}`);
  if (trainedWarning) out.push(`warning: the saved training is not used: ${trainedWarning}`);
  io.out(out.join('\n') + '\n');
  return 0;
}

function flags(n: CompiledNode): string {
  const f: string[] = [];
  if (n.trainable) f.push('trainable');
  if (n.frozen) f.push('frozen');
  if (n.detach) f.push('detach');
  if (n.memory === 'recompute') f.push('recompute');
  return f.join(', ') || '-';
}
