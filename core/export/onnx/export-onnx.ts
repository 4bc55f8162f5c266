/**
 * A compiled network and its weights as an ONNX model (opset 17, IR version 8): one graph input
 * named by the Input node with a symbolic batch dimension, one output named by the output node,
 * every weight an initializer under its own name (`fc1.weight`), every layer the ONNX nodes its
 * mapping returns, named by the node id. When the project normalizes its inputs, a Sub and a Div
 * (`x/normalize/sub`, `x/normalize/div`, constants `x/normalize/offset` and `…/scale`) turn the
 * raw graph input into `x/normalized`, which the layers read instead: the model takes raw
 * features, as the app's project does.
 */
import { type Normalization, normalizationJson } from '../../data/normalize';
import type { CompiledGraph, CompiledNode } from '../../graph/compile';
import { isValidShape, shapeSize } from '../../io/named-tensors';
import { LabError } from '../../util/errors';
import {
  checkWeights,
  exportError,
  isPluginNode,
  weightsOfNode,
  type ExportInput,
} from '../export-input';
import { encodeOnnxModel, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-proto';
import type { OnnxMapping, OnnxMappingContext, OnnxNodeSpec } from './plugin-mapping';

export const ONNX_OPSET_VERSION = 17;
export const ONNX_IR_VERSION = 8;
/** metadata_props `format` of the ONNX files Backprop Lab writes. */
export const ONNX_METADATA_FORMAT = 'backprop-lab.onnx';
export const ONNX_METADATA_VERSION = '1';
export const BATCH_DIM = 'batch';

/**
 * The bytes of a `.onnx` file. Every layer but the entry (the graph input itself) is exported by
 * the ONNX mapping its definition carries (`onnx`). Throws LabError naming the node when a layer
 * has no ONNX mapping or its mapping is wrong, and LabError('WEIGHTS') when the weights do not
 * fit.
 *
 * @example writeFileSync('xor.onnx', exportOnnx({ graph: model.graph, weights: model.exportWeights() }));
 */
export function exportOnnx(input: ExportInput): Uint8Array {
  const { graph } = input;
  refuseUnmapped(graph);
  checkWeights(input);
  if (graph.output.id === graph.input.id) {
    throw new LabError(
      'PROJECT_GRAPH',
      `the output '${graph.output.id}' is the Input node itself: there is no computation to export`,
      { node: graph.output.id, path: 'output' },
    );
  }
  const project = input.project ?? graph.project;
  const builder = new GraphBuilder(input);
  if (input.normalization) builder.addNormalization(input.normalization);
  for (const node of graph.nodes) if (!node.def.entry) builder.addLayer(node);
  const batched = (id: string, shape: number[]) => ({ name: id, shape: [BATCH_DIM, ...shape] });
  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET_VERSION,
    producerName: 'Backprop Lab',
    producerVersion: input.producerVersion,
    docString: project.description,
    graph: {
      name: project.name,
      nodes: builder.nodes,
      initializers: builder.initializers,
      inputs: [batched(graph.input.id, graph.input.outShape)],
      outputs: [batched(graph.output.id, graph.output.outShape)],
    },
    metadata: {
      format: ONNX_METADATA_FORMAT,
      version: ONNX_METADATA_VERSION,
      project: JSON.stringify(project),
      ...(input.normalization ? { normalization: normalizationJson(input.normalization) } : {}),
    },
  });
}

/** The layer's ONNX mapping; the entry has none (it is the graph input). */
function mappingOf(node: CompiledNode): unknown {
  return node.def.onnx;
}

/** Every node without an ONNX mapping, named in one error before any work is done. */
function refuseUnmapped(graph: CompiledGraph): void {
  const unmapped = graph.nodes.filter((n) => !n.def.entry && mappingOf(n) === undefined);
  const problems = unmapped.map((n) =>
    isPluginNode(n)
      ? `node '${n.id}' uses the plugin layer ${n.type}, which has no ONNX mapping ` +
        `(give its definition in ${n.source} an onnx(ctx) method, or export .safetensors or .py instead)`
      : `node '${n.id}' uses the layer ${n.type}, which has no ONNX mapping ` +
        `(give its definition an onnx(ctx) method, or export .safetensors or .py instead)`,
  );
  if (problems.length === 0) return;
  const first = unmapped[0];
  throw new LabError(
    isPluginNode(first) ? 'PLUGIN' : 'OP',
    problems.length === 1
      ? problems[0]
      : `${problems.length} ${unmapped.every(isPluginNode) ? 'plugin ' : ''}layers have no ONNX mapping, first: ${problems[0]}`,
    { node: first.id, plugin: isPluginNode(first) ? first.source : undefined },
    problems,
  );
}

const OP_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  /** Values that exist so far: the graph input, initializers and node outputs. */
  private readonly defined = new Set<string>();
  /** Every value name given out, defined or not yet. */
  private readonly taken = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** The value layers read for the Input node: its id, or the normalized input. */
  private inputValue: string;

  constructor(private readonly input: ExportInput) {
    this.inputValue = input.graph.input.id;
    this.define(this.inputValue);
  }

  /** (x − offset) / scale per feature, before the first layer; offset and scale as constants. */
  addNormalization(norm: Normalization): void {
    const id = this.input.graph.input.id;
    const dims = this.input.graph.input.outShape.slice();
    const offset = `${id}/normalize/offset`,
      scale = `${id}/normalize/scale`,
      centred = `${id}/normalize/centred`,
      out = `${id}/normalized`;
    this.initializers.push(
      { name: offset, dims, data: Float32Array.from(norm.offset) },
      { name: scale, dims: dims.slice(), data: Float32Array.from(norm.scale) },
    );
    this.nodes.push(
      {
        name: this.nodeName(id, 'normalize/sub'),
        opType: 'Sub',
        inputs: [id, offset],
        outputs: [centred],
      },
      {
        name: this.nodeName(id, 'normalize/div'),
        opType: 'Div',
        inputs: [centred, scale],
        outputs: [out],
      },
    );
    for (const v of [offset, scale, centred, out]) this.define(v);
    this.inputValue = out;
  }

  addLayer(node: CompiledNode): void {
    const own = weightsOfNode(node, this.input.weights);
    for (const w of Object.values(own)) {
      this.initializers.push({ name: w.name, dims: w.shape.slice(), data: w.data });
      this.define(w.name);
    }
    const fresh = new Set<string>();
    const fail = (message: string): never => {
      throw exportError(node, `its ONNX mapping ${message}`);
    };
    const value = (hint: string): string => {
      if (typeof hint !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(hint)) {
        fail(`asked ctx.value() for ${JSON.stringify(hint)}: use letters, digits, _, . and -`);
      }
      let name = `${node.id}/${hint}`;
      for (let i = 2; this.taken.has(name); i++) name = `${node.id}/${hint}_${i}`;
      this.taken.add(name);
      fresh.add(name);
      return name;
    };
    const ctx: OnnxMappingContext = {
      node: node.id,
      type: node.type,
      inputs: Object.freeze(
        node.inputs.map((i) => (i === this.input.graph.input.id ? this.inputValue : i)),
      ),
      output: node.id,
      inShapes: node.inShapes.map((s) => s.slice()),
      outShape: node.outShape.slice(),
      params: copyParams(node.params),
      weights: Object.fromEntries(Object.entries(own).map(([k, w]) => [k, w.name])),
      weightValues: Object.fromEntries(
        Object.entries(own).map(([k, w]) => [k, { shape: w.shape.slice(), data: w.data.slice() }]),
      ),
      value,
      constant: (hint, values, shape) => {
        const name = value(hint);
        if (!isValidShape(shape) || shapeSize(shape) !== values?.length) {
          fail(
            `gave ctx.constant('${hint}') ${values?.length} values for shape ${JSON.stringify(shape)}`,
          );
        }
        this.initializers.push({ name, dims: shape.slice(), data: Float32Array.from(values) });
        this.define(name);
        return name;
      },
    };
    const specs = this.runMapping(node, ctx, fail);
    this.addNodes(node, specs, fresh, fail);
  }

  private runMapping(
    node: CompiledNode,
    ctx: OnnxMappingContext,
    fail: (message: string) => never,
  ): unknown {
    const mapping = mappingOf(node);
    if (typeof mapping !== 'function') {
      fail(`must be a function onnx(ctx) returning ONNX nodes, found ${typeof mapping}`);
    }
    try {
      return (mapping as OnnxMapping).call(node.def, ctx);
    } catch (e) {
      if (e instanceof LabError) throw e;
      return fail(`failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }

  private addNodes(
    node: CompiledNode,
    specs: unknown,
    fresh: Set<string>,
    fail: (message: string) => never,
  ): void {
    if (!Array.isArray(specs) || specs.length === 0) {
      fail('must return a non-empty array of nodes like { op, inputs, outputs }');
    }
    (specs as unknown[]).forEach((raw, i) => {
      const at = `node ${i}`;
      if (typeof raw !== 'object' || raw === null) fail(`returned ${at} that is not an object`);
      const spec = raw as Partial<OnnxNodeSpec>;
      if (typeof spec.op !== 'string' || !OP_NAME.test(spec.op)) {
        fail(`returned ${at} without an operator name in op (found ${JSON.stringify(spec.op)})`);
      }
      const where = `${at} (${spec.op})`;
      if (!isStringArray(spec.inputs))
        fail(`returned ${where} whose inputs are not a list of names`);
      if (!isStringArray(spec.outputs) || spec.outputs.length === 0) {
        fail(`returned ${where} whose outputs are not a non-empty list of names`);
      }
      for (const name of spec.inputs) {
        if (name !== '' && !this.defined.has(name)) {
          fail(
            `returned ${where} reading '${name}', which is not an input, a weight or an earlier output`,
          );
        }
      }
      for (const name of spec.outputs) {
        if (name !== node.id && !fresh.has(name)) {
          fail(
            `returned ${where} writing '${name}': write ctx.output ('${node.id}') or a name from ctx.value()`,
          );
        }
        if (this.defined.has(name))
          fail(`returned ${where} writing '${name}', which is already written`);
        this.define(name);
      }
      const attributes = checkAttributes(spec.attributes, (m) => fail(`returned ${where} ${m}`));
      const producesOutput = spec.outputs.includes(node.id);
      this.nodes.push({
        name: this.nodeName(node.id, producesOutput ? undefined : (spec.name ?? spec.op)),
        opType: spec.op,
        inputs: spec.inputs.slice(),
        outputs: spec.outputs.slice(),
        ...(attributes ? { attributes } : {}),
      });
    });
    if (!this.defined.has(node.id)) fail(`returned no node writing ctx.output ('${node.id}')`);
  }

  private nodeName(id: string, part: string | undefined): string {
    let name = part === undefined ? id : `${id}/${part}`;
    for (let i = 2; this.nodeNames.has(name); i++) name = `${id}/${part ?? 'node'}_${i}`;
    this.nodeNames.add(name);
    return name;
  }

  private define(name: string): void {
    this.defined.add(name);
    this.taken.add(name);
  }
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function copyParams(params: CompiledNode['params']): CompiledNode['params'] {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.slice() : v]),
  );
}

const ATTRIBUTE_KINDS = ['float', 'int', 'string', 'floats', 'ints'] as const;

function checkAttributes(
  raw: unknown,
  fail: (message: string) => never,
): Record<string, OnnxAttribute> | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('with attributes that are not an object');
  }
  const out: Record<string, OnnxAttribute> = {};
  for (const [name, value] of Object.entries(raw)) {
    const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
    const kind = keys.length === 1 ? ATTRIBUTE_KINDS.find((k) => k === keys[0]) : undefined;
    const v = kind ? (value as Record<string, unknown>)[kind] : undefined;
    const ok =
      (kind === 'float' && typeof v === 'number') ||
      (kind === 'int' && Number.isSafeInteger(v)) ||
      (kind === 'string' && typeof v === 'string') ||
      (kind === 'floats' && Array.isArray(v) && v.every((x) => typeof x === 'number')) ||
      (kind === 'ints' && Array.isArray(v) && v.every((x) => Number.isSafeInteger(x)));
    if (!ok) {
      fail(
        `with attribute '${name}' = ${JSON.stringify(value)}: write { float: 0.5 }, { int: 1 }, ` +
          `{ string: 'x' }, { floats: [..] } or { ints: [..] }`,
      );
    }
    out[name] = value as OnnxAttribute;
  }
  return out;
}
