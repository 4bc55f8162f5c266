/**
 * A compiled network as a Python module for PyTorch: `Net` (a torch.nn.Module whose forward
 * computes the network's output), `build()` and `load(weights_path)`, which reads the weights
 * Backprop Lab exports as .safetensors with nothing but torch and numpy. When the project
 * normalizes its inputs, Net holds the statistics as buffers (`input_offset`, `input_scale`)
 * and its forward starts with (x − input_offset) / input_scale, so it takes raw features. The
 * text depends only on the network, never on the date, so exporting twice gives the same file.
 */
import type { Normalization } from '../../data/normalize';
import type { CompiledGraph, CompiledNode } from '../../graph/compile';
import { float32ToText } from '../../io/float32-text';
import type { BuiltinLayerType } from '../../layers/builtin';
import { formatShape } from '../../io/named-tensors';
import { LabError } from '../../util/errors';
import { checkWeights, describePluginNode, isPluginNode, type ExportInput } from '../export-input';
import { BUILTIN_PYTORCH, type PyLayer } from './builtin-code';
import type { PytorchCode, WithPytorchCode } from './plugin-code';
import {
  commentText,
  dedent,
  isPyIdentifier,
  MODULE_ATTRIBUTES,
  PyNames,
  pyDict,
  pyString,
  pyTuple,
  pyValue,
} from './python-text';
import { LOAD, MAIN, READ_SAFETENSORS } from './runtime-code';

/** Names at the generated module's top level; a plugin class must not take one. */
const TOP_LEVEL = [
  'Net',
  'build',
  'load',
  'read_safetensors',
  'WEIGHT_NAMES',
  'INPUT_SHAPE',
  'OUTPUT_SHAPE',
  'json',
  'math',
  'struct',
  'sys',
  'np',
  'torch',
  'nn',
  'F',
  // Net's normalization buffers: no node may take these attribute names.
  'input_offset',
  'input_scale',
];

interface PluginClass {
  name: string;
  /** The class's source: the plugin's own code, or a stub that raises NotImplementedError. */
  code: string;
}

/**
 * The text of a `.py` file. Throws LabError naming the node when a plugin's `pytorch` field or
 * weight names cannot be used, and LabError('WEIGHTS') when the weights do not fit.
 *
 * @example writeFileSync('xor.py', exportPytorch({ graph: model.graph, weights: model.exportWeights() }));
 */
export function exportPytorch(input: ExportInput): string {
  checkWeights(input);
  const { graph } = input;
  const project = input.project ?? graph.project;
  const names = new PyNames();
  for (const n of TOP_LEVEL) names.reserve(n);
  const ids = new Map(graph.nodes.map((n) => [n.id, names.identifier(n.id)]));
  const classes = pluginClasses(graph);

  const weightNames: [string, string][] = graph.nodes.flatMap((n) =>
    Object.keys(n.weights).map((w): [string, string] => [`${n.id}.${w}`, `${ids.get(n.id)}.${w}`]),
  );
  const lines = [
    ...header(graph, project.name, project.description),
    'import json',
    'import math',
    'import struct',
    'import sys',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    `INPUT_SHAPE = ${pyTuple(graph.input.outShape)}`,
    `OUTPUT_SHAPE = ${pyTuple(graph.output.outShape)}`,
    '',
    "# Each weight as Backprop Lab names it (in the .safetensors file) and its key in Net's state_dict.",
    'WEIGHT_NAMES = {',
    ...weightNames.map(([file, key]) => `    ${pyString(file)}: ${pyString(key)},`),
    '}',
    '',
  ];
  for (const c of new Set(classes.values())) lines.push('', c.code, '', '');
  if (classes.size === 0) lines.push('');
  lines.push(...netClass(graph, ids, classes, project.name, input.normalization ?? null), '', '');
  lines.push(
    'def build():',
    '    """The network as a torch.nn.Module, with PyTorch\'s initial weights; see load()."""',
    '    return Net()',
    '',
    READ_SAFETENSORS,
    LOAD,
    MAIN.trimEnd(),
    '',
  );
  return lines.join('\n').replace(/\n{4,}/g, '\n\n\n');
}

function header(graph: CompiledGraph, name: string, description: string | undefined): string[] {
  const chain = graph.nodes.map((n) => `${n.id} ${n.type} ${formatShape(n.outShape)}`);
  return [
    `# ${commentText(name)}: a network exported from Backprop Lab as PyTorch code.`,
    ...(description ? ['#', `# ${commentText(description)}`] : []),
    '#',
    '# build() returns the network as a torch.nn.Module; load(path) builds it and loads the weights',
    '# Backprop Lab exported as .safetensors (needing only torch and numpy). Run this file to print',
    '# the output for an input of zeros:  python3 this_file.py [WEIGHTS.safetensors]',
    '#',
    `# Input '${graph.input.id}': [batch, ${graph.input.outShape.join(', ')}]. ` +
      `Output '${graph.output.id}': [batch, ${graph.output.outShape.join(', ')}].`,
    '# Nodes in order (id, layer, output shape without the batch):',
    ...chain.map((c) => `#   ${commentText(c)}`),
    '',
  ];
}

function netClass(
  graph: CompiledGraph,
  ids: Map<string, string>,
  classes: Map<string, PluginClass>,
  projectName: string,
  norm: Normalization | null,
): string[] {
  const init: string[] = [];
  const forward: string[] = [];
  const x = ids.get(graph.input.id)!;
  if (norm) {
    const tensor = (v: number[]) =>
      `torch.tensor([${v.map(float32ToText).join(', ')}]).reshape(INPUT_SHAPE)`;
    init.push(
      `        # data.normalize "${norm.kind}": statistics of the training split; forward takes raw features.`,
      `        self.register_buffer("input_offset", ${tensor(norm.offset)})`,
      `        self.register_buffer("input_scale", ${tensor(norm.scale)})`,
    );
    forward.push(`        ${x} = (${x} - self.input_offset) / self.input_scale`);
  }
  for (const n of graph.nodes) {
    if (n.type === 'Input') continue;
    const id = ids.get(n.id)!;
    const layer = isPluginNode(n) ? pluginLayer(n, classes.get(n.type)!) : builtinLayer(n);
    const note = `# node '${n.id}': ${n.type}, output ${formatShape(n.outShape)}`;
    // A plugin's constructor call is long: its note goes on the line above.
    if (layer.module !== undefined && isPluginNode(n)) {
      init.push(`        ${note}`, `        self.${id} = ${layer.module}`);
    } else if (layer.module !== undefined) {
      init.push(`        self.${id} = ${layer.module}  ${note}`);
    }
    const call = layer.call(
      `self.${id}`,
      n.inputs.map((s) => ids.get(s)!),
    );
    forward.push(`        ${id} = ${call}${layer.module === undefined ? `  ${note}` : ''}`);
  }
  return [
    'class Net(nn.Module):',
    `    """${pyDocText(projectName)}: computes '${graph.output.id}' from '${graph.input.id}'."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...init,
    '',
    `    def forward(self, ${x}):`,
    ...forward,
    `        return ${ids.get(graph.output.id)}`,
  ];
}

/** Text safe inside a """docstring""" on one line. */
function pyDocText(text: string): string {
  return commentText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function builtinLayer(n: CompiledNode): PyLayer {
  return BUILTIN_PYTORCH[n.type as Exclude<BuiltinLayerType, 'Input'>](n);
}

function pluginLayer(n: CompiledNode, cls: PluginClass): PyLayer {
  const weightShapes = Object.entries(n.weights).map(([w, spec]): [string, string] => [
    w,
    pyTuple(spec.shape),
  ]);
  const args = [
    `params=${pyDict(Object.entries(n.params).map(([k, v]) => [k, pyValue(v)]))}`,
    `in_shapes=[${n.inShapes.map(pyTuple).join(', ')}]`,
    `out_shape=${pyTuple(n.outShape)}`,
    `weight_shapes=${pyDict(weightShapes)}`,
  ];
  return {
    module: `${cls.name}(${args.join(', ')})`,
    call: (self, inputs) => `${self}(${inputs.join(', ')})`,
  };
}

/** One class per plugin layer type: its own PyTorch code, or a stub. */
function pluginClasses(graph: CompiledGraph): Map<string, PluginClass> {
  const out = new Map<string, PluginClass>();
  const taken = new Map<string, string>(TOP_LEVEL.map((n) => [n, 'the module itself']));
  for (const n of graph.nodes) {
    if (!isPluginNode(n)) continue;
    checkWeightNames(n);
    if (out.has(n.type)) continue;
    const own = (n.def as WithPytorchCode).pytorch;
    if (own !== undefined) {
      const code = checkPytorchCode(n, own);
      const user = taken.get(code.className);
      if (user !== undefined) {
        fail(n, `its pytorch.className '${code.className}' is already used by ${user}`);
      }
      taken.set(code.className, `the plugin layer ${n.type}`);
      out.set(n.type, {
        name: code.className,
        code: [
          `# Plugin layer ${n.type}: PyTorch code from ${commentText(n.source)}`,
          dedent(code.code),
        ].join('\n'),
      });
      continue;
    }
    let name = n.type;
    for (let i = 2; taken.has(name) || !isPyIdentifier(name); i++) name = `${n.type}Layer${i}`;
    taken.set(name, `the plugin layer ${n.type}`);
    out.set(n.type, { name, code: stubClass(name, n, graph) });
  }
  return out;
}

function checkPytorchCode(n: CompiledNode, own: unknown): PytorchCode {
  if (typeof own !== 'object' || own === null) {
    fail(n, `its pytorch must be { className, code }, found ${own === null ? 'null' : typeof own}`);
  }
  const { className, code } = own as Partial<PytorchCode>;
  if (typeof className !== 'string' || !isPyIdentifier(className)) {
    fail(
      n,
      `its pytorch.className must be a Python class name, found ${JSON.stringify(className)}`,
    );
  }
  if (typeof code !== 'string') fail(n, `its pytorch.code must be a string of Python source`);
  if (!new RegExp(`^\\s*class\\s+${className}\\b`, 'm').test(code)) {
    fail(
      n,
      `its pytorch.code does not define the class ${className} (class ${className}(nn.Module): …)`,
    );
  }
  return { className, code };
}

/** Weights become nn.Parameters under their own names; a few names cannot be used there. */
function checkWeightNames(n: CompiledNode): void {
  for (const w of Object.keys(n.weights)) {
    if (w === '' || w.includes('.') || w.startsWith('_') || MODULE_ATTRIBUTES.has(w)) {
      fail(
        n,
        `its weight ${JSON.stringify(w)} cannot be a PyTorch parameter name ` +
          '(no dots, no leading _, and not an nn.Module attribute such as "training")',
      );
    }
  }
}

function stubClass(name: string, first: CompiledNode, graph: CompiledGraph): string {
  const users = graph.nodes.filter((n) => n.type === first.type);
  const about = first.def.description ? `: ${commentText(first.def.description)}` : '';
  const source = commentText(first.source);
  const message = [
    `the plugin layer ${first.type} (from ${source}) has no PyTorch code: `,
    `port the forward() of its JavaScript definition into the class ${name} in this file`,
  ];
  return [
    `class ${name}(nn.Module):`,
    `    # Plugin layer ${first.type}, from ${source}${about}`,
    '    #',
    "    # Backprop Lab cannot turn a plugin's JavaScript into PyTorch, and this plugin brings no",
    '    # PyTorch code of its own: port the forward() of its definition to forward() below.',
    '    # The weights are already here, each an nn.Parameter named as in the plugin, and load()',
    '    # fills them with the exported values:',
    ...users.map((n) => `    #   ${commentText(describeUse(n))}`),
    '',
    '    def __init__(self, params, in_shapes, out_shape, weight_shapes):',
    '        super().__init__()',
    '        self.params = params',
    '        for name, shape in weight_shapes.items():',
    '            self.register_parameter(name, nn.Parameter(torch.zeros(shape)))',
    '',
    '    def forward(self, *inputs):',
    '        raise NotImplementedError(',
    ...message.map((part) => `            ${pyString(part)}`),
    '        )',
  ].join('\n');
}

function describeUse(n: CompiledNode): string {
  const weights = Object.entries(n.weights).map(([w, s]) => `${w} ${formatShape(s.shape)}`);
  return (
    `node '${n.id}': params ${JSON.stringify(n.params)}, ` +
    `input${n.inShapes.length > 1 ? 's' : ''} ${n.inShapes.map(formatShape).join(', ')}, ` +
    `output ${formatShape(n.outShape)}, weights ${weights.join(', ') || 'none'}`
  );
}

function fail(n: CompiledNode, message: string): never {
  throw new LabError('PLUGIN', `${describePluginNode(n)}: ${message}`, {
    node: n.id,
    plugin: n.source,
    phase: 'export',
  });
}
