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
import { formatShape } from '../../io/named-tensors';
import { checkWeights, exportError, isPluginNode, type ExportInput } from '../export-input';
import type { PytorchCode, PytorchContext } from './plugin-code';
import {
  commentText,
  dedent,
  isPyIdentifier,
  MODULE_ATTRIBUTES,
  PyNames,
  pyDict,
  pyFloat,
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

/** What a node is in the exported network. */
interface PyLayer {
  /** Constructor of the module stored on the network (`nn.Linear(2, 8)`), if it holds one. */
  module?: string;
  /** The module is a long class call: its note goes on the line above. */
  long?: boolean;
  /** The output, from the module attribute (`self.fc1`) and the input variables. */
  call(self: string, args: string[]): string;
}

/**
 * The text of a `.py` file: every layer but the entry (the forward's argument) is written by
 * the PyTorch code its definition carries (`pytorch`); a layer without it becomes a stub class
 * that raises. Throws LabError naming the node when a layer's `pytorch` or a plugin's weight
 * names cannot be used, and LabError('WEIGHTS') when the weights do not fit.
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
  const { layers, blocks } = pythonLayers(graph, ids);

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
  for (const code of blocks) lines.push('', code, '', '');
  if (blocks.length === 0) lines.push('');
  lines.push(...netClass(graph, ids, layers, project.name, input.normalization ?? null), '', '');
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
  layers: Map<string, PyLayer>,
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
    const layer = layers.get(n.id);
    if (!layer) continue;
    const id = ids.get(n.id)!;
    const note = `# node '${n.id}': ${n.type}, output ${formatShape(n.outShape)}`;
    // A class's constructor call is long: its note goes on the line above.
    if (layer.module !== undefined && layer.long) {
      init.push(`        ${note}`, `        self.${id} = ${layer.module}`);
    } else if (layer.module !== undefined) {
      init.push(`        self.${id} = ${layer.module}  ${note}`);
    }
    const call = layer.call(`self.${id}`, inputArgs(n, ids));
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

/**
 * What each node but the entry is, from its layer's PyTorch code (or a stub class), and the
 * module-level code blocks they need, each written once, in node order.
 */
function pythonLayers(
  graph: CompiledGraph,
  ids: Map<string, string>,
): { layers: Map<string, PyLayer>; blocks: string[] } {
  const layers = new Map<string, PyLayer>();
  const blocks: string[] = [];
  const classes = new Map<string, { type: string; code: string }>(
    TOP_LEVEL.map((n) => [n, { type: '', code: '' }]),
  );
  const stubs = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.def.entry) continue;
    if (isPluginNode(n)) checkWeightNames(n);
    const own = pytorchOf(n, ids);
    if (own === undefined) {
      let name = stubs.get(n.type);
      if (name === undefined) {
        name = n.type;
        for (let i = 2; classes.has(name) || !isPyIdentifier(name); i++)
          name = `${n.type}Layer${i}`;
        classes.set(name, { type: n.type, code: '' });
        stubs.set(n.type, name);
        blocks.push(stubClass(name, n, graph));
      }
      layers.set(n.id, classCall(n, name));
      continue;
    }
    const code = own.code === undefined ? undefined : dedent(own.code);
    if (own.className !== undefined) {
      const user = classes.get(own.className);
      if (user !== undefined && (user.type !== n.type || user.code !== code)) {
        const by = user.type === '' ? 'the module itself' : `the ${layerName(user.type, graph)}`;
        fail(n, `its pytorch.className '${own.className}' is already used by ${by}`);
      }
      classes.set(own.className, { type: n.type, code: code! });
    }
    if (code !== undefined && !blocks.some((b) => b.endsWith(`\n${code}`))) {
      const from = isPluginNode(n)
        ? `Plugin layer ${n.type}: PyTorch code from ${commentText(n.source)}`
        : `Layer ${n.type}: PyTorch code`;
      blocks.push(`# ${from}\n${code}`);
    }
    if (own.className !== undefined) layers.set(n.id, classCall(n, own.className));
    else if (own.module !== undefined) layers.set(n.id, { module: own.module, call: callModule });
    else {
      const expression = own.expression!;
      layers.set(n.id, { call: () => expression });
    }
  }
  return { layers, blocks };
}

const callModule = (self: string, args: string[]) => `${self}(${args.join(', ')})`;

/** `the plugin layer Wacky` or `the layer GELU`, as messages name a layer type. */
function layerName(type: string, graph: CompiledGraph): string {
  const n = graph.nodes.find((m) => m.type === type);
  return n && isPluginNode(n) ? `plugin layer ${type}` : `layer ${type}`;
}

/** A node that holds an instance of a class written at module level (its own, or a stub). */
function classCall(n: CompiledNode, className: string): PyLayer {
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
  return { module: `${className}(${args.join(', ')})`, long: true, call: callModule };
}

/** The node's PyTorch code from its definition, checked; undefined when it has none. */
/**
 * What a node's forward reads: its inputs' variables, detached when the node detaches (no
 * gradient flows from it back into its inputs; it matters when the module is trained).
 */
function inputArgs(n: CompiledNode, ids: Map<string, string>): string[] {
  return n.inputs.map((s) => `${ids.get(s)!}${n.detach ? '.detach()' : ''}`);
}

function pytorchOf(n: CompiledNode, ids: Map<string, string>): PytorchCode | undefined {
  const mapping = n.def.pytorch;
  if (mapping === undefined) return undefined;
  let own: unknown = mapping;
  if (typeof mapping === 'function') {
    const ctx: PytorchContext = {
      node: n.id,
      type: n.type,
      inputs: Object.freeze(inputArgs(n, ids)),
      inShapes: n.inShapes.map((s) => s.slice()),
      outShape: n.outShape.slice(),
      params: Object.fromEntries(
        Object.entries(n.params).map(([k, v]) => [k, Array.isArray(v) ? v.slice() : v]),
      ),
      weights: Object.fromEntries(
        Object.entries(n.weights).map(([w, spec]) => [w, spec.shape.slice()]),
      ),
      literal: (v) => (typeof v === 'number' && !Number.isInteger(v) ? pyFloat(v) : pyValue(v)),
    };
    try {
      own = mapping.call(n.def, ctx);
    } catch (e) {
      fail(
        n,
        `its pytorch(ctx) failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      );
    }
  }
  return checkPytorchCode(n, own);
}

const SHAPES = '{ className, code }, { module } or { expression }';

function checkPytorchCode(n: CompiledNode, own: unknown): PytorchCode {
  if (typeof own !== 'object' || own === null) {
    fail(n, `its pytorch must be ${SHAPES}, found ${own === null ? 'null' : typeof own}`);
  }
  const { className, code, module, expression } = own as Partial<PytorchCode>;
  const ways = [className, module, expression].filter((w) => w !== undefined).length;
  if (ways !== 1)
    fail(n, `its pytorch must be one of ${SHAPES}, found ${ways === 0 ? 'none' : 'several'}`);
  if (code !== undefined && typeof code !== 'string')
    fail(n, `its pytorch.code must be a string of Python source`);
  if (className !== undefined) {
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
  }
  for (const [key, v] of [
    ['module', module],
    ['expression', expression],
  ] as const) {
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '' || /[\r\n]/.test(v)))
      fail(n, `its pytorch.${key} must be one line of Python, found ${JSON.stringify(v)}`);
  }
  if (expression !== undefined && Object.keys(n.weights).length > 0) {
    fail(n, 'its pytorch.expression cannot hold weights: give a module or a className instead');
  }
  return { className, code, module, expression };
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
  const what = isPluginNode(first)
    ? `the plugin layer ${first.type} (from ${source})`
    : `the layer ${first.type}`;
  const message = [
    `${what} has no PyTorch code: `,
    `port the forward() of its JavaScript definition into the class ${name} in this file`,
  ];
  return [
    `class ${name}(nn.Module):`,
    isPluginNode(first)
      ? `    # Plugin layer ${first.type}, from ${source}${about}`
      : `    # Layer ${first.type}${about}`,
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
  throw exportError(n, message);
}
