/** The README.md of a PyTorch training folder: how to run it, and what it reproduces. */
import type { CompiledGraph } from '../../graph/compile';
import type { Project } from '../../graph/schema';
import { isPluginNode } from '../export-input';
import type { TrainingConfig } from './training-folder';

export function folderReadme(graph: CompiledGraph, project: Project, c: TrainingConfig): string {
  const o = c.optimizer;
  const optimizer =
    o.type === 'sgd'
      ? `SGD (lr ${o.lr}, momentum ${o.momentum}, weight decay ${o.weightDecay})`
      : `Adam (lr ${o.lr}, betas ${o.beta1} and ${o.beta2}, eps ${o.eps}, weight decay ${o.weightDecay})`;
  const plugins = [...new Set(graph.nodes.filter(isPluginNode).map((n) => n.type))];
  const frozen = graph.nodes.filter((n) => n.paramCount > 0 && !n.trainable).map((n) => n.id);
  const lines = [
    `# ${project.name}: training in PyTorch`,
    '',
    'Exported from Backprop Lab. This folder trains the network the way the lab trains it, with',
    'nothing but `torch` and `numpy`: the same training and test samples and normalization, the',
    'same initial weights, loss, optimizer and hyperparameters, the same batch order and the same',
    'dropout masks.',
    '',
    '## Run it',
    '',
    '```sh',
    `python3 train.py                    # ${c.epochs} epochs on the CPU, writes trained.safetensors`,
    'python3 train.py --epochs 50 --device cuda --out trained.safetensors',
    '```',
    '',
    '`trained.safetensors` holds the weights under the names Backprop Lab gives them',
    '(`fc1.weight`, …) with the project in its metadata; `trained.history.json` (or `--history',
    "FILE`) the loss and accuracy per epoch, like the lab's training report. Progress goes to",
    'stderr (`--quiet` for none).',
    '',
    '### Several processes, GPUs or machines',
    '',
    'Under `torchrun` it trains with `DistributedDataParallel` (gloo on the CPU, nccl with',
    '`--device cuda`, one GPU per process): each batch of the lab is split across the',
    'processes and the gradients are averaged, so the result is the same training as in one',
    'process (within float rounding).',
    '',
    '```sh',
    'torchrun --nproc_per_node=2 train.py                      # two processes on this machine',
    'torchrun --nproc_per_node=4 train.py --device cuda        # four GPUs',
    '# two machines with 4 GPUs each: run on both, node_rank 0 on the first',
    'torchrun --nnodes=2 --node_rank=0 --nproc_per_node=4 --master_addr=HOST0 --master_port=29500 train.py --device cuda',
    '```',
    '',
    'Without `torchrun` (Debian’s torchrun of PyTorch 1.13 does not start on Python 3.11 and',
    'later), start each process with the variables torchrun would set:',
    '',
    '```sh',
    'export MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 WORLD_SIZE=2',
    'RANK=0 LOCAL_RANK=0 python3 train.py --quiet &',
    'RANK=1 LOCAL_RANK=1 python3 train.py --quiet',
    '```',
    '',
    'Only the process of rank 0 writes the weights and the history.',
    '',
    '## What is here',
    '',
    '| File | What it is |',
    '| --- | --- |',
    '| `train.py` | the training loop (the same in every folder; `training.json` says what differs) |',
    '| `model.py` | the network as a `torch.nn.Module` (`build()`, `load(path)`), also usable on its own |',
    "| `lab_rng.py` | the lab's seeded random number generator, ported exactly |",
    '| `training.json` | loss, optimizer, batch size, epochs, seeds, which weights train |',
    '| `project.json` | the Backprop Lab project this came from |',
    `| \`data.safetensors\` | the samples as the lab splits them, raw: \`train.x\`, \`train.y\` (${c.trainSamples} samples), \`test.x\`, \`test.y\` (${c.testSamples}) |`,
    `| \`initial.safetensors\` | the weights training starts from (the lab's initialisation for seed ${c.seed}) |`,
    '',
    '## How close to the lab',
    '',
    `The loss is ${c.loss}, a mean over each batch of ${c.batchSize}; the optimizer ${optimizer};`,
    `${c.shuffle ? 'the samples are shuffled every epoch' : 'the samples are taken in order'} exactly as the lab does for seed ${c.seed}.`,
    'On the CPU the weights after training agree with the lab’s to about 1e-4 or better',
    '(float32 arithmetic is summed in a different order, so they are not equal bit for bit; a',
    'network that trains chaotically can drift further). Several processes agree with one',
    'process to about 1e-5.',
    ...(c.normalization
      ? [
          '',
          `The inputs are normalized as in the lab (data.normalize "${c.normalization.kind}", statistics of the`,
          "training split): model.py's Net holds them as the buffers input_offset and input_scale and",
          'computes (x - input_offset) / input_scale before its first layer, so it takes raw features.',
        ]
      : []),
    ...(frozen.length
      ? ['', `Frozen (or detached-away) weights stay as they start: ${frozen.join(', ')}.`]
      : []),
    ...(plugins.length
      ? [
          '',
          `Plugin layers (${plugins.join(', ')}) run their own PyTorch code. A plugin that draws`,
          "random numbers from the lab's ctx.rng while training draws differently here, which",
          'also changes the dropout masks after it.',
        ]
      : []),
    '',
    '## Bring the weights back',
    '',
    '```sh',
    'backprop-lab export project.json --weights trained.safetensors --out trained.onnx',
    'backprop-lab train project.json --init trained.safetensors --epochs 10',
    '```',
    '',
    'or load `trained.safetensors` in the app (Import weights).',
    '',
  ];
  return lines.join('\n');
}
